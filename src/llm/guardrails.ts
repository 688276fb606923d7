/** Deterministic guardrail checks of a model's output (dsl/guardrails.yaml). */
import type { DslRegistries, GuardrailDef } from './dsl/types.ts';

export interface GuardrailViolation {
  guardrail: string;
  severity: 'info' | 'warning' | 'error' | 'critical';
  action: 'block' | 'warn';
  message: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fieldText(output: unknown, field: string): string | undefined {
  if (output === null || typeof output !== 'object') return undefined;
  const v = (output as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : undefined;
}

/** Sentences: runs of text ended by . ! ? (or the end of the text). */
export function countSentences(text: string): number {
  return text.split(/[.!?]+(?:["')\]]*)(?:\s+|$)/).filter((s) => s.trim() !== '').length;
}

/** The violation message of one guardrail on `output`, or undefined when it passes. */
export function checkGuardrail(g: GuardrailDef, output: unknown): string | undefined {
  if (g.kind === 'output_schema') return undefined; // enforced by schema validation before guardrails run
  const text = fieldText(output, g.field);
  if (text === undefined) return undefined; // a missing field is the schema's business
  switch (g.kind) {
    case 'forbid_pattern': {
      const m = new RegExp(g.pattern, g.flags).exec(text);
      return m === null ? undefined : `${g.message ?? g.description} (found "${m[0]}")`;
    }
    case 'require_pattern':
      return new RegExp(g.pattern, g.flags).test(text) ? undefined : (g.message ?? g.description);
    case 'forbid_terms': {
      const found = g.terms.filter((t) =>
        new RegExp(`(^|[^\\w])${escapeRegExp(t)}(?=$|[^\\w])`, 'i').test(text),
      );
      return found.length === 0
        ? undefined
        : `${g.message ?? g.description} (found ${found.map((t) => `"${t}"`).join(', ')})`;
    }
    case 'sentence_count': {
      const n = countSentences(text);
      return n >= g.min && n <= g.max ? undefined : `${g.message ?? g.description} (it has ${n})`;
    }
    case 'max_length':
      return text.length <= g.max
        ? undefined
        : `${g.message ?? g.description} (${text.length} characters, at most ${g.max})`;
  }
}

/** Every violation of a guardrail policy on `output`. */
export function checkGuardrailPolicy(
  registries: DslRegistries,
  policyId: string | undefined,
  output: unknown,
): GuardrailViolation[] {
  const policy = policyId === undefined ? undefined : registries.guardrailPolicies[policyId];
  if (policy === undefined) return [];
  const out: GuardrailViolation[] = [];
  for (const rule of policy.rules) {
    const g = registries.guardrailRegistry[rule.guardrail];
    if (g === undefined) continue;
    const message = checkGuardrail(g, output);
    if (message !== undefined)
      out.push({ guardrail: g.id, severity: rule.severity, action: rule.action, message });
  }
  return out;
}
