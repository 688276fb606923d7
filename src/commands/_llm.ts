/**
 * What `dma audit` and `dma explain` share: the standard LLM options, --show-prompt, the
 * adapter and gateway (cache and call log in the campaign database), the announcement of a
 * call, and turning a failed workflow into exit 12. src/llm is imported lazily, here only.
 *
 * Test hook: DMA_TEST_HIDE_SDK=<package>[,<package>…] makes importing those SDKs fail, as if
 * they were not installed (exit 11; `dma doctor` reports them missing). Tests use it; nothing
 * else should.
 */
import { lazy } from './_lazy.ts';
import type { CommandContext } from '../core/context.ts';
import { DmaError, UsageError } from '../core/errors.ts';
import { VERSION } from '../generated/commands.ts';
import type { PromptBundle, RunOptions } from '../llm/runtime.ts';

/** The standard options every LLM command takes (see cli-contract.yaml). */
export interface LlmCommandInput {
  adapter?: string | undefined;
  model?: string | undefined;
  baseUrl?: string | undefined;
  showPrompt?: boolean | undefined;
  reportFormat?: string | undefined;
  json?: boolean | undefined;
  cache?: boolean | undefined;
  log?: boolean | undefined;
  dryRun?: boolean | undefined;
  db?: string | undefined;
  /** One deadline for the whole command, in seconds (default 60). */
  timeout?: number | undefined;
  /** Show the SDKs' own warnings (deprecated models, …) on stderr. */
  verbose?: boolean | undefined;
}

/** --timeout's default: a hung provider ends the command (exit 12) after this many seconds. */
export const DEFAULT_LLM_TIMEOUT_S = 60;

export interface LlmRunInfo {
  status: 'completed' | 'escalated';
  cached: boolean;
  calls: number;
  escalation_reason?: string;
  tokens_in: number;
  tokens_out: number;
  warnings: string[];
}

export interface LlmMetadata {
  tool: 'dma';
  command: string;
  version: string;
  generatedAt: string;
  adapter: string;
  model: string;
}

export interface PromptDocument {
  prompt: {
    workflow: string;
    task: string;
    agent: string;
    system: string;
    user: string;
    schema_name: string;
    template_version: string;
    context_bytes: number;
    truncated: boolean;
    /** the prompt as one printable text (dropped from the JSON document) */
    text?: string;
  };
}

/** The SDKs the DMA_TEST_HIDE_SDK test hook hides. */
export function hiddenSdks(env: CommandContext['env']): string[] {
  return (env['DMA_TEST_HIDE_SDK'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The SDK importer (src/llm/adapters' own), honouring the DMA_TEST_HIDE_SDK test hook. */
export function sdkImporter(
  env: CommandContext['env'],
  importSdk: (pkg: string) => Promise<unknown>,
): (pkg: string) => Promise<unknown> {
  const hidden = hiddenSdks(env);
  return (pkg) =>
    hidden.includes(pkg)
      ? Promise.reject(new Error(`Cannot find package '${pkg}' (hidden by DMA_TEST_HIDE_SDK)`))
      : importSdk(pkg);
}

/** --show-prompt: the exact prompt of the workflow's first model step. No call, no write. */
export async function showPrompt(
  workflow: string,
  input: unknown,
  ctx: Pick<CommandContext, 'load'>,
): Promise<PromptDocument> {
  const { runtime, dslRegistries: registries } = await lazy(ctx, '_llm-run');
  const { buildPrompt, renderPrompt } = runtime;
  const p: PromptBundle = buildPrompt(registries, { workflow, input });
  return {
    prompt: {
      workflow: p.workflowId,
      task: p.taskId,
      agent: p.agentId,
      system: p.system,
      user: p.user,
      schema_name: p.schemaName,
      template_version: p.templateVersion,
      context_bytes: p.contextBytes,
      truncated: p.truncated,
      text: renderPrompt(p),
    },
  };
}

/**
 * The `raw` hook of an LLM command for a --show-prompt result: the prompt as plain text unless
 * a report format was chosen (then the JSON/YAML document is rendered as usual).
 */
export function promptRaw(result: unknown, input: LlmCommandInput): string | undefined {
  const doc = result as Partial<PromptDocument>;
  if (doc.prompt === undefined) return undefined;
  if (input.reportFormat === undefined || input.reportFormat === 'text')
    return doc.prompt.text ?? '';
  delete doc.prompt.text;
  return undefined;
}

export interface WorkflowOutcome<T> {
  output: T;
  metadata: LlmMetadata;
  llm: LlmRunInfo;
}

/**
 * Run `workflow` on `input` with the adapter the options name, logging to and caching in the
 * campaign database (unless --no-log/--no-cache/--dry-run). Throws DmaError SDK_MISSING (11),
 * LLM_ERROR (12), UsageError (3) for a rejected gate.
 */
export async function runLlmWorkflow<T>(
  command: string,
  workflow: string,
  input: unknown,
  opts: LlmCommandInput,
  ctx: CommandContext,
  checks: Pick<RunOptions, 'outputChecks'> = {},
): Promise<WorkflowOutcome<T>> {
  // The modules a run needs, not src/llm/index.ts: that one also loads the DSL loader (YAML, Zod).
  const {
    adapters,
    runtime,
    gateway: gatewayMod,
    storage,
    dslRegistries,
  } = await lazy(ctx, '_llm-run');
  const llm = { ...adapters, ...runtime, ...gatewayMod, ...storage };
  const adapterName = opts.adapter ?? 'mock';
  // Configuration problems (missing SDK, key, bad URL) surface here, before any call.
  const deadlineMs = (opts.timeout ?? DEFAULT_LLM_TIMEOUT_S) * 1000;
  const adapter = await llm.createAdapter(adapterName, {
    env: ctx.env,
    ...(opts.model === undefined ? {} : { model: opts.model }),
    ...(opts.baseUrl === undefined ? {} : { baseUrl: opts.baseUrl }),
    // the gateway's deadline decides; the SDK's own timeout is only a backstop past it
    timeoutMs: deadlineMs + 5_000,
    ...(opts.verbose === true
      ? { onWarning: (m: string) => ctx.warn(`${adapterName}: ${m}`) }
      : {}),
    importSdk: sdkImporter(ctx.env, adapters.importSdk),
  });
  const registries = dslRegistries;
  const noCache = opts.cache === false || opts.dryRun === true;
  const noLog = opts.log === false || opts.dryRun === true;
  const store =
    noCache && noLog
      ? undefined
      : await (await lazy(ctx, '_store')).openCampaign(opts, ctx, 'append');
  try {
    // the campaign engine's own tables (SQLite or PostgreSQL), through the Store interface
    const llmStore = store?.llmStorage();
    const gateway = llm.createGateway({
      noCache,
      noLog,
      secrets: llm.secretsFromEnv(ctx.env),
      deadlineMs,
      signal: ctx.signal,
      ...(llmStore === undefined
        ? {}
        : { cache: llmStore.cache, log: llmStore.log, breakerStore: llmStore.breakers }),
    });
    let stop: (() => void) | undefined;
    const result = await llm.runWorkflow<T>(adapter, { workflow, input }, registries, {
      ...checks,
      gateway,
      hooks: {
        beforeTask: (taskId) => {
          if (adapter.name !== 'mock')
            stop = ctx.announce(`asking ${adapter.name}/${adapter.model} (${taskId})…`);
        },
        afterTask: () => stop?.(),
      },
    });
    stop?.();
    if (result.status === 'error') {
      throw (
        result.error ?? new DmaError('LLM_ERROR', result.error_message ?? 'the workflow failed')
      );
    }
    if (result.status === 'gate_rejected') {
      throw new UsageError(result.error_message ?? `the ${workflow} workflow rejected the input`);
    }
    const delegate = result.steps.filter((s) => s.type === 'delegate');
    return {
      output: result.output as T,
      metadata: {
        tool: 'dma',
        command,
        version: VERSION,
        generatedAt: ctx.now().toISOString(),
        adapter: adapter.name,
        model: result.model,
      },
      llm: {
        status: result.status,
        cached: delegate.length > 0 && delegate.every((s) => s.cached),
        calls: delegate.reduce((n, s) => n + s.calls, 0),
        ...(result.escalation_reason === undefined
          ? {}
          : { escalation_reason: result.escalation_reason }),
        tokens_in: result.usage.inputTokens,
        tokens_out: result.usage.outputTokens,
        warnings: result.warnings.map((w) => `${w.guardrail}: ${w.message}`),
      },
    };
  } finally {
    await store?.close();
  }
}
