/**
 * The fast lane: for commands marked `fast_lane` in the contract, node:util's parseArgs,
 * configured from the generated metadata, reads argv, and the handler runs without loading
 * Commander or Zod. Anything it is not sure about (help, an unknown or repeatable flag, a bad
 * value, a missing argument, a negative number where an argument goes) returns null, and the
 * full Commander program parses argv instead — with its proper error message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ArgMeta, CommandMeta, OptMeta } from '../generated/commands.ts';
import { applyFormats, settle, type Invocation } from './settings.ts';

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

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs' options for a command's flags, by long name. A repeatable option is left out
 * (so it reads as unknown and Commander collects it); a global option wins over a command's
 * option of the same flag. undefined: flags parseArgs cannot express.
 */
function optionTable(
  options: readonly OptMeta[],
): { config: ParseOptions; byName: Map<string, OptMeta> } | undefined {
  const config: ParseOptions = {};
  const byName = new Map<string, OptMeta>();
  for (const o of options) {
    if (o.repeatable) continue;
    const long = o.flags.filter((f) => f.startsWith('--')).map((f) => f.slice(2));
    const short = o.flags.filter((f) => /^-[^-]$/.test(f)).map((f) => f.slice(1));
    if (long.length !== 1 || short.length > 1 || long.length + short.length !== o.flags.length)
      return undefined;
    config[long[0]!] = {
      type: o.takesValue ? 'string' : 'boolean',
      ...(short[0] === undefined ? {} : { short: short[0] }),
    };
    byName.set(long[0]!, o);
  }
  return { config, byName };
}

export function fastParse(
  argv: readonly string[],
  commands: Record<string, CommandMeta>,
  globals: readonly OptMeta[],
): Invocation | null {
  let meta: CommandMeta | undefined;
  for (const m of Object.values(commands)) {
    if (!m.fastLane) continue;
    if (m.path.every((w, i) => argv[i] === w) && (!meta || m.path.length > meta.path.length))
      meta = m;
  }
  if (!meta) return null;
  const options = [...meta.options, ...globals];
  const table = optionTable(options);
  if (!table) return null;
  const input: Record<string, unknown> = {};
  for (const o of options) {
    if (o.negate) input[o.key] = true;
    else if (o.default !== undefined) input[o.key] = o.default;
  }
  // not strict: an unknown flag is a token to refuse here, and a value may start with a
  // dash (--ac -2), as Commander reads it
  const { tokens } = parseArgs({
    args: argv.slice(meta.path.length),
    options: table.config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const typed = new Set<string>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const o = table.byName.get(t.name);
    if (!o) return null;
    typed.add(o.key);
    if (!o.takesValue) {
      if (t.value !== undefined) return null;
      input[o.key] = !o.negate;
      continue;
    }
    if (t.value === undefined) return null;
    const v = convert(t.value, o);
    if (v === undefined) return null;
    input[o.key] = v;
  }
  if (!assignPositionals(meta.args, positionals, input)) return null;
  for (const o of options) if (o.required && input[o.key] === undefined) return null;
  const settled = settle(input, typed, meta.llm);
  applyFormats(input, settled, meta.llm);
  return { meta, input, typed, settings: settled.settings };
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
