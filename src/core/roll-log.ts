/**
 * The compact stored form of a generator's roll log. A roll log is kept whole (every
 * step, roll, table, source and note), but as JSON it was three quarters of a stored NPC
 * (about 4.3 KB of 5.6 KB): the same keys, citations and notes in every record. Stored,
 * it is one string:
 *
 *   dma-log:1\n<step>\n<step>…
 *
 * one line per step, its fields separated by `|` in a fixed order — step, table, source,
 * dice, rolls, result, note — trailing empty fields left off (`|` rather than a tab,
 * which JSON would store as two characters). A text field is
 *   - `~<n>`: entry n (base 36) of ROLL_LOG_DICTIONARY, the texts generators write often;
 *   - `^<n>`: the n-th (base 36) literal text seen earlier in the same log;
 *   - else the text itself, with `\` `|` and a line break escaped (`\\` `\|` `\n`) and a
 *     leading `~ ^ #` escaped with `\`;
 *   - `\e`: an empty text; nothing at all: the field is absent.
 * `rolls` are integers separated by spaces; a numeric `result` is `#<n>`.
 *
 * The dictionary is append-only (a test keeps the entries of every released version
 * where they are): a text not in it is simply stored literally, so new or changed
 * generator texts cost bytes, never correctness.
 */
import { ROLL_LOG_DICTIONARY } from './roll-log-dictionary.ts';

export interface RollLogStep {
  step: string;
  table?: string;
  source?: string;
  dice?: string;
  rolls: number[];
  result: number | string;
  note?: string;
}

export const ROLL_LOG_PREFIX = 'dma-log:1\n';

let dictionaryIndex: Map<string, number> | undefined;
function index(): Map<string, number> {
  if (dictionaryIndex === undefined) {
    dictionaryIndex = new Map();
    ROLL_LOG_DICTIONARY.forEach((s, i) => {
      if (!dictionaryIndex!.has(s)) dictionaryIndex!.set(s, i);
    });
  }
  return dictionaryIndex;
}

function escapeText(s: string): string {
  let out = s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n');
  if (/^[~^#]/.test(out)) out = `\\${out}`;
  return out;
}

function unescapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    out += n === 'n' ? '\n' : (n ?? '');
  }
  return out;
}

/** Encode a roll log (lossless; `decodeRollLog` gives back equal steps). */
export function encodeRollLog(steps: readonly RollLogStep[]): string {
  const dict = index();
  const literals = new Map<string, number>();
  const text = (s: string | undefined): string => {
    if (s === undefined) return '';
    const d = dict.get(s);
    if (d !== undefined) return `~${d.toString(36)}`;
    const seen = literals.get(s);
    if (seen !== undefined) return `^${seen.toString(36)}`;
    if (s.length > 3) literals.set(s, literals.size);
    return s === '' ? '\\e' : escapeText(s);
  };
  const lines: string[] = [];
  for (const st of steps) {
    const fields = [
      text(st.step),
      text(st.table),
      text(st.source),
      text(st.dice),
      st.rolls.join(' '),
      typeof st.result === 'number' ? `#${st.result}` : text(st.result),
      text(st.note),
    ];
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    lines.push(fields.join('|'));
  }
  return ROLL_LOG_PREFIX + lines.join('\n');
}

export function isEncodedRollLog(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(ROLL_LOG_PREFIX);
}

/** Split a line at the `|` that are not escaped (escapes stay for unescapeText). */
function splitFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      cur += c + (line[i + 1] ?? '');
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Decode a stored roll log; a RangeError for a malformed one. */
export function decodeRollLog(encoded: string): RollLogStep[] {
  if (!encoded.startsWith(ROLL_LOG_PREFIX)) throw new RangeError('not a dma roll log');
  const body = encoded.slice(ROLL_LOG_PREFIX.length);
  if (body === '') return [];
  const literals: string[] = [];
  const text = (f: string | undefined): string | undefined => {
    if (f === undefined || f === '') return undefined;
    if (f === '\\e') return '';
    if (f[0] === '~') {
      const s = ROLL_LOG_DICTIONARY[parseInt(f.slice(1), 36)];
      if (s === undefined) throw new RangeError(`roll log: no dictionary entry ${f}`);
      return s;
    }
    if (f[0] === '^') {
      const s = literals[parseInt(f.slice(1), 36)];
      if (s === undefined) throw new RangeError(`roll log: no earlier text ${f}`);
      return s;
    }
    const s = unescapeText(f);
    if (s.length > 3) literals.push(s);
    return s;
  };
  return body.split('\n').map((line) => {
    const f = splitFields(line);
    const step = text(f[0]);
    if (step === undefined) throw new RangeError('roll log: a step without a name');
    const table = text(f[1]);
    const source = text(f[2]);
    const dice = text(f[3]);
    const rollsText = f[4] ?? '';
    const rolls = rollsText === '' ? [] : rollsText.split(' ').map(Number);
    if (rolls.some((n) => !Number.isSafeInteger(n))) throw new RangeError('roll log: bad rolls');
    const r = f[5] ?? '';
    let result: number | string;
    if (r[0] === '#') {
      result = Number(r.slice(1));
      if (!Number.isSafeInteger(result)) throw new RangeError('roll log: bad result');
    } else {
      const t = text(r);
      if (t === undefined) throw new RangeError('roll log: a step without a result');
      result = t;
    }
    const note = text(f[6]);
    return {
      step,
      ...(table === undefined ? {} : { table }),
      ...(source === undefined ? {} : { source }),
      ...(dice === undefined ? {} : { dice }),
      rolls,
      result,
      ...(note === undefined ? {} : { note }),
    };
  });
}

/** The steps of a stored roll log, whichever form it has (the array of old records, or encoded). */
export function rollLogSteps(v: unknown): RollLogStep[] | undefined {
  if (Array.isArray(v)) return v as RollLogStep[];
  if (isEncodedRollLog(v)) {
    try {
      return decodeRollLog(v);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
