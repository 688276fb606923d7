/**
 * The fast lane: for commands marked `fast_lane` in the contract, a tiny argv parser over
 * the generated metadata runs the handler without loading Commander or Zod. Anything it
 * is not sure about (help, an unknown flag, a bad value, a missing argument) returns
 * null, and the full Commander program handles it — with its proper error message.
 */
import type { ArgMeta, CommandMeta, OptMeta } from '../generated/commands.ts';

export interface FastParse {
  meta: CommandMeta;
  input: Record<string, unknown>;
  /** the option keys typed on the command line (the rest may come from config) */
  typed: Set<string>;
}

function convert(
  raw: string,
  m: { type: string; enum?: string[]; minimum?: number; maximum?: number },
): unknown {
  if (m.enum) return m.enum.includes(raw) ? raw : undefined;
  if (m.type === 'integer' || m.type === 'number') {
    if (!(m.type === 'integer' ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/).test(raw)) return undefined;
    const n = Number(raw);
    if (m.minimum !== undefined && n < m.minimum) return undefined;
    if (m.maximum !== undefined && n > m.maximum) return undefined;
    return n;
  }
  return raw;
}

export function fastParse(
  argv: readonly string[],
  commands: Record<string, CommandMeta>,
  globals: readonly OptMeta[],
): FastParse | null {
  let meta: CommandMeta | undefined;
  for (const m of Object.values(commands)) {
    if (!m.fastLane) continue;
    if (m.path.every((w, i) => argv[i] === w) && (!meta || m.path.length > meta.path.length))
      meta = m;
  }
  if (!meta) return null;
  const options = [...meta.options, ...globals];
  const byFlag = new Map<string, OptMeta>();
  for (const o of options) for (const f of o.flags) byFlag.set(f, o);
  const input: Record<string, unknown> = {};
  for (const o of options) {
    if (o.negate) input[o.key] = true;
    else if (o.default !== undefined) input[o.key] = o.default;
  }
  const typed = new Set<string>();
  const positionals: string[] = [];
  const rest = argv.slice(meta.path.length);
  let onlyPositionals = false;
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i]!;
    if (onlyPositionals || !tok.startsWith('-') || /^-\d/.test(tok)) {
      positionals.push(tok);
      continue;
    }
    if (tok === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = tok.indexOf('=');
    const flag = eq > 0 ? tok.slice(0, eq) : tok;
    const o = byFlag.get(flag);
    if (!o || o.repeatable) return null;
    typed.add(o.key);
    if (!o.takesValue) {
      if (eq > 0) return null;
      input[o.key] = !o.negate;
      continue;
    }
    const raw = eq > 0 ? tok.slice(eq + 1) : rest[++i];
    if (raw === undefined) return null;
    const v = convert(raw, o);
    if (v === undefined) return null;
    input[o.key] = v;
  }
  if (!assignPositionals(meta.args, positionals, input)) return null;
  for (const o of options) if (o.required && input[o.key] === undefined) return null;
  return { meta, input, typed };
}

function assignPositionals(
  args: readonly ArgMeta[],
  values: string[],
  input: Record<string, unknown>,
): boolean {
  let i = 0;
  for (const a of args) {
    if (a.variadic) {
      const vs = values.slice(i).map((v) => convert(v, a));
      if (vs.some((v) => v === undefined) || (a.required && vs.length === 0)) return false;
      if (vs.length > 0) input[a.key] = vs;
      i = values.length;
      continue;
    }
    const raw = values[i];
    if (raw === undefined) {
      if (a.required) return false;
      continue;
    }
    const v = convert(raw, a);
    if (v === undefined) return false;
    input[a.key] = v;
    i++;
  }
  return i === values.length;
}
