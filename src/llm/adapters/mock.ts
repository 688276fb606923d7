/**
 * The mock adapter: scripted responses (enqueue), a record of every request, simulated faults,
 * and — with nothing scripted — a deterministic, schema-valid answer built from the input, so
 * `--adapter mock` gives useful offline output.
 */
import type { JsonSchema } from '../dsl/types.ts';
import {
  LlmCallError,
  kindForStatus,
  type LlmAdapter,
  type LlmRequest,
  type LlmResponse,
} from './types.ts';

export type MockStep =
  | { output: unknown; delayMs?: number }
  | { text: string; delayMs?: number }
  | { refusal: string; delayMs?: number }
  | { truncated: true; text?: string; delayMs?: number }
  | { error: { status: number; retryAfterSeconds?: number; message?: string }; delayMs?: number };

export interface MockAdapterOptions {
  model?: string;
  /** Steps to answer with, in order; once used up, the default response is built. */
  responses?: MockStep[];
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmCallError('timeout', 'aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new LlmCallError('timeout', 'aborted'));
      },
      { once: true },
    );
  });
}

function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

export class MockAdapter implements LlmAdapter {
  readonly name = 'mock';
  readonly model: string;
  /** Every request received, in order (signal removed). */
  readonly calls: LlmRequest[] = [];
  private readonly script: MockStep[];

  constructor(options: MockAdapterOptions = {}) {
    this.model = options.model ?? 'mock-1';
    this.script = [...(options.responses ?? [])];
  }

  /** Queue scripted steps; they are consumed one per call. */
  enqueue(...steps: MockStep[]): this {
    this.script.push(...steps);
    return this;
  }

  get pending(): number {
    return this.script.length;
  }

  async complete(request: LlmRequest): Promise<LlmResponse> {
    const { signal, ...recorded } = request;
    this.calls.push(recorded);
    const step = this.script.shift();
    if (step?.delayMs !== undefined) await sleep(step.delayMs, signal);
    const inputTokens = estimateTokens(
      request.system + request.messages.map((m) => m.content).join(''),
    );
    const base = { model: request.model, usage: { inputTokens, outputTokens: 0, cachedTokens: 0 } };
    if (step === undefined) {
      const output = defaultMockOutput(request.schemaName, request.schema, request.input);
      const text = JSON.stringify(output);
      return {
        ...base,
        stopReason: 'complete',
        output,
        text,
        usage: { ...base.usage, outputTokens: estimateTokens(text) },
      };
    }
    if ('error' in step) {
      const { status, retryAfterSeconds, message } = step.error;
      throw new LlmCallError(kindForStatus(status), message ?? `mock error ${status}`, {
        status,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterMs: retryAfterSeconds * 1000 }),
      });
    }
    if ('refusal' in step)
      return { ...base, stopReason: 'refusal', text: '', refusal: step.refusal };
    if ('truncated' in step) {
      const text = step.text ?? '{"summary": "the answer was cut';
      return {
        ...base,
        stopReason: 'truncated',
        text,
        usage: { ...base.usage, outputTokens: request.maxOutputTokens },
      };
    }
    if ('text' in step)
      return {
        ...base,
        stopReason: 'complete',
        text: step.text,
        usage: { ...base.usage, outputTokens: estimateTokens(step.text) },
      };
    const text = JSON.stringify(step.output);
    return {
      ...base,
      stopReason: 'complete',
      output: step.output,
      text,
      usage: { ...base.usage, outputTokens: estimateTokens(text) },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// deterministic default answers

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const SEVERITY_RANK = { info: 0, warning: 1, error: 2, critical: 3 } as const;
const RISK = ['low', 'medium', 'high', 'critical'] as const;

function auditDefault(input: Obj): Obj {
  const findings = (Array.isArray(input.rulesFindings) ? input.rulesFindings : []).filter(isObj);
  const worst = findings.reduce<number>(
    (m, f) => Math.max(m, SEVERITY_RANK[f.severity as keyof typeof SEVERITY_RANK] ?? 0),
    0,
  );
  const entityType = typeof input.entityType === 'string' ? input.entityType : 'entity';
  const actions = findings
    .filter((f) => f.severity === 'error' || f.severity === 'critical')
    .map((f) => ({
      kind: 'review',
      title: `Fix ${String(f.id)}: ${String(f.message)}`,
      ...(typeof f.target === 'string' ? { target: f.target } : {}),
      rationale: 'reported by the deterministic rules check',
    }));
  return {
    summary:
      findings.length === 0
        ? `The rules check found no problems with this ${entityType}; no semantic review was made (mock adapter).`
        : `The rules check reported ${findings.length} finding(s) for this ${entityType}; no semantic review was made (mock adapter).`,
    riskLevel: RISK[worst] ?? 'low',
    findings,
    recommendedActions: actions,
    ...(['npc', 'pc', 'dungeon'].includes(entityType) ? { entityType } : {}),
  };
}

function explainDefault(input: Obj): Obj {
  const derivation = isObj(input.derivation) ? input.derivation : {};
  const steps = (Array.isArray(derivation.steps) ? derivation.steps : []).filter(isObj);
  const sentences = steps.map((s) => {
    const value = s.value === undefined ? '' : ` (${JSON.stringify(s.value)})`;
    const src = typeof s.source === 'string' ? ` [${s.source}]` : '';
    return `${String(s.description)}${value}${src}.`;
  });
  const question =
    typeof input.question === 'string' ? `${input.question.replace(/\?*$/, '?')} ` : '';
  return {
    explanation:
      `${question}${sentences.join(' ')} Result: ${JSON.stringify(derivation.result)}.`.trim(),
    citations: [
      ...new Set(steps.map((s) => s.source).filter((s): s is string => typeof s === 'string')),
    ],
  };
}

function narrateDefault(): Obj {
  return {
    narrative:
      'You commit to the moment, and the world answers your move. The scene shifts around you as the outcome settles, and everyone waits to see what you do next.',
    game_state_updates: { in_combat: false, enemies: [], combat_ended: false, enemy_attacks: [] },
  };
}

/** A minimal instance of a JSON Schema: required properties only, first enum value, minimum. */
export function minimalInstance(schema: unknown): unknown {
  if (!isObj(schema)) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'object': {
      const props = isObj(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((k) => [k, minimalInstance(props[k])]));
    }
    case 'array':
      return [];
    case 'string':
      return 'mock'.padEnd(typeof schema.minLength === 'number' ? schema.minLength : 0, '.');
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The default answer for a schema name, built deterministically from the input. */
export function defaultMockOutput(schemaName: string, schema: JsonSchema, input: unknown): unknown {
  const obj = isObj(input) ? input : {};
  if (schemaName === 'audit-result' || schemaName === 'agent-audit-result')
    return auditDefault(obj);
  if (schemaName === 'explanation') return explainDefault(obj);
  if (schemaName === 'narration') return narrateDefault();
  return minimalInstance(schema);
}
