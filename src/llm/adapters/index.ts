/**
 * The adapter registry. Adding an adapter is one file and one entry in ADAPTERS.
 *
 * Configuration is read from `env` (passed in, never process.env directly) and checked before
 * any request: an SDK that cannot be imported → DmaError SDK_MISSING (exit 11); a missing API
 * key or a bad base URL → DmaError LLM_ERROR naming the variable to set (exit 12).
 *
 * Keys: anthropic needs ANTHROPIC_API_KEY. openai needs OPENAI_API_KEY, except when its base
 * URL points at a loopback host (localhost, 127.0.0.0/8, ::1): local OpenAI-compatible servers
 * run without a key.
 */
import { DmaError, UsageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import { ANTHROPIC_DEFAULT_MODEL, AnthropicAdapter } from './anthropic.ts';
import { MockAdapter } from './mock.ts';
import { OPENAI_DEFAULT_MODEL, OpenAIAdapter } from './openai.ts';
import type { LlmAdapter } from './types.ts';

export type Env = Record<string, string | undefined>;

export interface CreateAdapterOptions {
  /** The environment to read keys and settings from (the CLI passes process.env). */
  env: Env;
  model?: string;
  /** Base URL of the provider API (openai: for compatible local servers). */
  baseUrl?: string;
  /** SDK request timeout; the gateway has its own per-attempt timeout. Default 120 s. */
  timeoutMs?: number;
  /** Where the SDK's own warnings go (the CLI: stderr with --verbose); dropped when absent. */
  onWarning?: (message: string) => void;
  /** How to import an SDK; tests replace it to simulate a missing package. */
  importSdk?: (pkg: string) => Promise<unknown>;
}

export interface AdapterDefinition {
  name: string;
  aliases: string[];
  description: string;
  /** npm package of the SDK, or null when none is needed. */
  sdkPackage: string | null;
  /** Environment variable holding the API key, or null. */
  keyVariable: string | null;
  /** Environment variable holding a base URL override, or null. */
  baseUrlVariable: string | null;
  /** Environment variable holding a model override, or null. */
  modelVariable: string | null;
  defaultModel: string;
  create(options: CreateAdapterOptions): Promise<LlmAdapter>;
}

/** The LLM SDKs (optional dependencies) load here and only here, when an adapter is created. */
export const importSdk = (pkg: string): Promise<unknown> => import(pkg);
const defaultImport = importSdk;

async function loadSdk<T>(pkg: string, options: CreateAdapterOptions): Promise<T> {
  try {
    const mod = (await (options.importSdk ?? defaultImport)(pkg)) as { default?: T };
    if (mod.default === undefined) throw new Error(`${pkg} has no default export`);
    return mod.default;
  } catch (e) {
    throw new DmaError('SDK_MISSING', `the ${pkg} package is not installed`, {
      hint: `npm install ${pkg}, or use --adapter mock`,
      cause: e,
    });
  }
}

function parseBaseUrl(raw: string | undefined, variable: string): URL | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url;
  } catch {
    throw new DmaError('LLM_ERROR', `invalid base URL "${raw}"`, {
      hint: `set ${variable} or --base-url to an http(s) URL`,
    });
  }
}

/** Loopback hosts, where a local OpenAI-compatible server needs no key. */
export function isLocalUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function requireKey(env: Env, variable: string, adapter: string): string {
  const key = env[variable];
  if (key === undefined || key.trim() === '') {
    throw new DmaError(
      'LLM_ERROR',
      `${variable} is not set; the ${adapter} adapter needs an API key`,
      {
        hint: `export ${variable}=… (or use --adapter mock)`,
      },
    );
  }
  return key.trim();
}

export const ADAPTERS: AdapterDefinition[] = [
  {
    name: 'mock',
    aliases: [],
    description: 'offline: scripted or deterministic answers built from the input',
    sdkPackage: null,
    keyVariable: null,
    baseUrlVariable: null,
    modelVariable: null,
    defaultModel: 'mock-1',
    create: (o) =>
      Promise.resolve(new MockAdapter(o.model === undefined ? {} : { model: o.model })),
  },
  {
    name: 'anthropic',
    aliases: ['claude'],
    description:
      'Anthropic Messages API (@anthropic-ai/sdk), structured output by a forced tool call',
    sdkPackage: '@anthropic-ai/sdk',
    keyVariable: 'ANTHROPIC_API_KEY',
    baseUrlVariable: 'ANTHROPIC_BASE_URL',
    modelVariable: 'DMA_ANTHROPIC_MODEL',
    defaultModel: ANTHROPIC_DEFAULT_MODEL,
    async create(o) {
      const Anthropic = await loadSdk<ConstructorParameters<typeof AnthropicAdapter>[0]>(
        '@anthropic-ai/sdk',
        o,
      );
      const baseUrl = parseBaseUrl(o.baseUrl ?? o.env.ANTHROPIC_BASE_URL, 'ANTHROPIC_BASE_URL');
      const apiKey = requireKey(o.env, 'ANTHROPIC_API_KEY', 'anthropic');
      return new AnthropicAdapter(Anthropic, {
        apiKey,
        model: o.model ?? o.env.DMA_ANTHROPIC_MODEL ?? ANTHROPIC_DEFAULT_MODEL,
        baseUrl: baseUrl?.toString().replace(/\/$/, ''),
        timeoutMs: o.timeoutMs ?? 120_000,
        onWarning: o.onWarning,
      });
    },
  },
  {
    name: 'openai',
    aliases: [],
    description:
      'OpenAI Chat Completions (openai SDK) or any OpenAI-compatible server via a base URL',
    sdkPackage: 'openai',
    keyVariable: 'OPENAI_API_KEY',
    baseUrlVariable: 'OPENAI_BASE_URL',
    modelVariable: 'DMA_OPENAI_MODEL',
    defaultModel: OPENAI_DEFAULT_MODEL,
    async create(o) {
      const OpenAI = await loadSdk<ConstructorParameters<typeof OpenAIAdapter>[0]>('openai', o);
      const baseUrl = parseBaseUrl(o.baseUrl ?? o.env.OPENAI_BASE_URL, 'OPENAI_BASE_URL');
      const apiKey =
        baseUrl !== undefined && isLocalUrl(baseUrl) && !o.env.OPENAI_API_KEY
          ? undefined
          : requireKey(o.env, 'OPENAI_API_KEY', 'openai');
      return new OpenAIAdapter(OpenAI, {
        apiKey,
        model: o.model ?? o.env.DMA_OPENAI_MODEL ?? OPENAI_DEFAULT_MODEL,
        baseUrl: baseUrl?.toString().replace(/\/$/, ''),
        timeoutMs: o.timeoutMs ?? 120_000,
        onWarning: o.onWarning,
      });
    },
  },
];

/** The definition for a name or alias; UsageError (exit 3) with a did-you-mean otherwise. */
export function findAdapter(name: string): AdapterDefinition {
  const lower = name.toLowerCase();
  const def = ADAPTERS.find((a) => a.name === lower || a.aliases.includes(lower));
  if (def === undefined) {
    const names = ADAPTERS.flatMap((a) => [a.name, ...a.aliases]);
    throw new UsageError(`unknown adapter "${name}"${didYouMean(name, names)}`, {
      hint: `adapters: ${names.join(', ')}`,
    });
  }
  return def;
}

/** Build an adapter by name or alias. See the module comment for the error cases. */
export async function createAdapter(
  name: string,
  options: CreateAdapterOptions,
): Promise<LlmAdapter> {
  return findAdapter(name).create(options);
}

export interface AdapterStatus {
  name: string;
  aliases: string[];
  sdkPackage: string | null;
  /** null when the adapter needs no SDK. */
  sdkInstalled: boolean | null;
  keyVariable: string | null;
  /** Whether the key variable is set (never its value); null when no key is needed. */
  keySet: boolean | null;
  baseUrlVariable: string | null;
  baseUrlSet: boolean;
  /** SDK present and key set (or not needed, e.g. openai on a local base URL). */
  ready: boolean;
}

/** For `dma doctor`: per adapter, is the SDK importable and is the key variable set? */
export async function adapterStatus(
  env: Env,
  importSdk: (pkg: string) => Promise<unknown> = defaultImport,
): Promise<AdapterStatus[]> {
  return Promise.all(
    ADAPTERS.map(async (a) => {
      let sdkInstalled: boolean | null = null;
      if (a.sdkPackage !== null) {
        sdkInstalled = await importSdk(a.sdkPackage).then(
          () => true,
          () => false,
        );
      }
      const keySet = a.keyVariable === null ? null : (env[a.keyVariable] ?? '').trim() !== '';
      const rawBase = a.baseUrlVariable === null ? undefined : env[a.baseUrlVariable];
      const baseUrlSet = rawBase !== undefined && rawBase !== '';
      let local = false;
      try {
        local = a.name === 'openai' && baseUrlSet && isLocalUrl(new URL(rawBase!));
      } catch {
        local = false;
      }
      return {
        name: a.name,
        aliases: a.aliases,
        sdkPackage: a.sdkPackage,
        sdkInstalled,
        keyVariable: a.keyVariable,
        keySet,
        baseUrlVariable: a.baseUrlVariable,
        baseUrlSet,
        ready: sdkInstalled !== false && (keySet !== false || local),
      };
    }),
  );
}
