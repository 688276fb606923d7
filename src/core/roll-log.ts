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

/** Each dictionary text's token (`~<n>`, n in base 36): built on first use. */
let dictionaryTokens: Map<string, string> | undefined;
function tokens(): Map<string, string> {
  if (dictionaryTokens === undefined) {
    dictionaryTokens = new Map<string, string>();
    for (const [i, s] of ROLL_LOG_DICTIONARY.entries())
      if (!dictionaryTokens.has(s)) dictionaryTokens.set(s, `~${i.toString(36)}`);
  }
  return dictionaryTokens;
}

const NEEDS_ESCAPE = /[\\|\n]|^[~^#]/;

function escapeText(s: string): string {
  // most texts need no escape: one test instead of three replaces
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n');
  if (/^[~^#]/.test(out)) out = `\\${out}`;
  return out;
}

function unescapeText(s: string): string {
  if (s.indexOf('\\') < 0) return s;
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

/** A text field's encoding in a log whose literal texts so far are `literals`. */
function encodedText(
  dict: Map<string, string>,
  literals: Map<string, number>,
  s: string | undefined,
): string {
  if (s === undefined) return '';
  const d = dict.get(s);
  if (d !== undefined) return d;
  const seen = literals.get(s);
  if (seen !== undefined) return `^${seen.toString(36)}`;
  if (s.length > 3) literals.set(s, literals.size);
  return s === '' ? '\\e' : escapeText(s);
}

/** Encode a roll log (lossless; `decodeRollLog` gives back equal steps). */
export function encodeRollLog(steps: readonly RollLogStep[]): string {
  const dict = tokens();
  const literals = new Map<string, number>();
  // Built with `+=` and flattened once at the end (charCodeAt flattens V8's cons string in
  // place): ~30% less time than parts joined, and no part array or closure per log; held
  // unflattened, the rope of ~600 nodes would be 9 KB of heap where the flat text is 1-2 KB.
  let out = ROLL_LOG_PREFIX;
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i]!;
    // fields in order; trailing empty ones left off
    const step = encodedText(dict, literals, st.step); // first: literals are numbered in the order they are met
    const f1 = encodedText(dict, literals, st.table);
    const f2 = encodedText(dict, literals, st.source);
    const f3 = encodedText(dict, literals, st.dice);
    const rolls = st.rolls;
    let f4 = rolls.length === 0 ? '' : String(rolls[0]);
    for (let j = 1; j < rolls.length; j++) f4 += ` ${rolls[j]}`;
    const f5 =
      typeof st.result === 'number' ? `#${st.result}` : encodedText(dict, literals, st.result);
    const f6 = encodedText(dict, literals, st.note);
    if (i > 0) out += '\n';
    out += step;
    if (f6 !== '') out += `|${f1}|${f2}|${f3}|${f4}|${f5}|${f6}`;
    else if (f5 !== '') out += `|${f1}|${f2}|${f3}|${f4}|${f5}`;
    else if (f4 !== '') out += `|${f1}|${f2}|${f3}|${f4}`;
    else if (f3 !== '') out += `|${f1}|${f2}|${f3}`;
    else if (f2 !== '') out += `|${f1}|${f2}`;
    else if (f1 !== '') out += `|${f1}`;
  }
  out.charCodeAt(0);
  return out;
}

export function isEncodedRollLog(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(ROLL_LOG_PREFIX);
}

/** One step's fields as an encoded log holds them: texts resolved, rolls as their text. */
export interface EncodedStep {
  step: string;
  table: string | undefined;
  source: string | undefined;
  dice: string | undefined;
  /** the rolls, space-separated ('' for none); each is a safe integer */
  rolls: string;
  rollCount: number;
  result: number | string;
  note: string | undefined;
}

/**
 * Walk an encoded log's steps in order without building them: `visit` gets each step's
 * fields (one object, reused: copy what you keep) and its index. A RangeError for a
 * malformed log. Returns the number of steps. Validating a stored NPC this way allocates
 * no step objects (decoding 100,000 NPCs' logs to check them took 4 s of an import).
 */
export function scanRollLog(encoded: string, visit: (f: EncodedStep, i: number) => void): number {
  if (!encoded.startsWith(ROLL_LOG_PREFIX)) throw new RangeError('not a dma roll log');
  const body = encoded;
  const len = body.length;
  if (len === ROLL_LOG_PREFIX.length) return 0;
  const literals: string[] = [];
  // a line's fields as ranges of `body` (the text between unescaped `|`), and whether each
  // holds an escape; only the first seven count
  const from = new Int32Array(7);
  const to = new Int32Array(7);
  const escaped = [false, false, false, false, false, false, false];
  let fieldCount = 0;
  /** Field k's text as written (escapes kept), '' when absent. */
  const raw = (k: number): string => (k < fieldCount ? body.slice(from[k], to[k]) : '');
  /** A `~`/`^` reference's number: its base-36 digits read in place (parseInt for the rest). */
  const refNumber = (k: number): number => {
    let n = 0;
    const end = to[k]!;
    if (end - from[k]! < 2 || end - from[k]! > 7) return parseInt(raw(k).slice(1), 36);
    for (let p = from[k]! + 1; p < end; p++) {
      const c = body.charCodeAt(p);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
      if (d < 0) return parseInt(raw(k).slice(1), 36);
      n = n * 36 + d;
    }
    return n;
  };
  const text = (k: number): string | undefined => {
    if (k >= fieldCount || from[k] === to[k]) return undefined;
    const first = body.charCodeAt(from[k]!);
    if (first === 126 /* ~ */) {
      const s = ROLL_LOG_DICTIONARY[refNumber(k)];
      if (s === undefined) throw new RangeError(`roll log: no dictionary entry ${raw(k)}`);
      return s;
    }
    if (first === 94 /* ^ */) {
      const s = literals[refNumber(k)];
      if (s === undefined) throw new RangeError(`roll log: no earlier text ${raw(k)}`);
      return s;
    }
    const f = raw(k);
    if (f === '\\e') return '';
    const s = escaped[k] ? unescapeText(f) : f;
    if (s.length > 3) literals.push(s);
    return s;
  };
  const fields: EncodedStep = {
    step: '',
    table: undefined,
    source: undefined,
    dice: undefined,
    rolls: '',
    rollCount: 0,
    result: 0,
    note: undefined,
  };
  let i = 0;
  for (let pos = ROLL_LOG_PREFIX.length; pos <= len; i++) {
    // split the line at unescaped `|` (a `\` takes the next character, but never the line break)
    fieldCount = 0;
    let start = pos;
    let esc = false;
    for (;;) {
      const c = pos < len ? body.charCodeAt(pos) : 10;
      if (c === 10 /* \n */ || c === 124 /* | */) {
        if (fieldCount < 7) {
          from[fieldCount] = start;
          to[fieldCount] = pos;
          escaped[fieldCount] = esc;
        }
        fieldCount++;
        start = pos + 1;
        esc = false;
        pos++;
        if (c === 10) break;
      } else if (c === 92 /* \ */) {
        esc = true;
        pos += pos + 1 < len && body.charCodeAt(pos + 1) !== 10 ? 2 : 1;
      } else pos++;
    }
    if (fieldCount > 7) fieldCount = 7;
    const step = text(0);
    if (step === undefined) throw new RangeError('roll log: a step without a name');
    fields.step = step;
    fields.table = text(1);
    fields.source = text(2);
    fields.dice = text(3);
    const rolls = raw(4);
    let count = 0;
    if (rolls !== '') {
      for (let p = 0; ;) {
        const space = rolls.indexOf(' ', p);
        const end = space < 0 ? rolls.length : space;
        const n = integerAt(rolls, p, end);
        if (!Number.isSafeInteger(n)) throw new RangeError('roll log: bad rolls');
        count++;
        if (space < 0) break;
        p = space + 1;
      }
    }
    fields.rolls = rolls;
    fields.rollCount = count;
    if (fieldCount > 5 && body.charCodeAt(from[5]!) === 35 /* # */ && to[5]! > from[5]!) {
      const n = integerAt(body, from[5]! + 1, to[5]!);
      if (!Number.isSafeInteger(n)) throw new RangeError('roll log: bad result');
      fields.result = n;
    } else {
      const t = text(5);
      if (t === undefined) throw new RangeError('roll log: a step without a result');
      fields.result = t;
    }
    fields.note = text(6);
    visit(fields, i);
  }
  return i;
}

/**
 * scanRollLog's walk for a check that needs only the lengths of the texts: `visit` gets each
 * step's field lengths in `lengths` (one array, reused) — [step, table, source, dice, number
 * of rolls, result, note], -1 for an absent field, -2 for a numeric result — and no string
 * is made. It returns false to stop the walk. Returns the number of steps, or -1 when `visit`
 * stopped it, the log is malformed, or it holds a form not read in place (an escape, an
 * unusual reference): the caller then runs scanRollLog, which gives the exact error. An
 * entity check of a 10,000-NPC batch spent ~0.2 s making the texts scanRollLog hands over.
 */
export function scanRollLogLengths(
  encoded: string,
  visit: (lengths: Int32Array) => boolean,
): number {
  if (!encoded.startsWith(ROLL_LOG_PREFIX)) return -1;
  const len = encoded.length;
  if (len === ROLL_LOG_PREFIX.length) return 0;
  // the arrays of the walk, reused from log to log (three typed arrays and a list made per
  // log were ~1 KB of a stored NPC's ~11 KB of garbage on the thread that stores a batch);
  // fresh ones if `visit` walks another log meanwhile
  const shared = lengthScan.busy ? undefined : lengthScan;
  const { from, to, lengths } = shared ?? newLengthScan();
  let literals = shared?.literals ?? new Int32Array(64);
  let literalCount = 0;
  if (shared) shared.busy = true;
  try {
    let i = 0;
    for (let pos = ROLL_LOG_PREFIX.length; pos <= len; i++) {
      // the line's fields: split as scanRollLog splits them, any escape sends it there
      let fieldCount = 0;
      let start = pos;
      for (;;) {
        const c = pos < len ? encoded.charCodeAt(pos) : 10;
        if (c === 10 /* \n */ || c === 124 /* | */) {
          if (fieldCount < 7) {
            from[fieldCount] = start;
            to[fieldCount] = pos;
          }
          fieldCount++;
          start = pos + 1;
          pos++;
          if (c === 10) break;
        } else if (c === 92 /* \ */) return -1;
        else pos++;
      }
      if (fieldCount > 7) fieldCount = 7;
      for (let k = 0; k < 7; k++) {
        if (k >= fieldCount || from[k] === to[k]) {
          lengths[k] = -1;
          continue;
        }
        const a = from[k]!;
        const b = to[k]!;
        if (k === 4) {
          // rolls: integers separated by single spaces
          let count = 0;
          for (let p = a; ;) {
            let end = p;
            while (end < b && encoded.charCodeAt(end) !== 32) end++;
            if (!Number.isSafeInteger(integerAt(encoded, p, end))) return -1;
            count++;
            if (end === b) break;
            p = end + 1;
          }
          lengths[4] = count;
          continue;
        }
        const first = encoded.charCodeAt(a);
        if (k === 5 && first === 35 /* # */) {
          if (!Number.isSafeInteger(integerAt(encoded, a + 1, b))) return -1;
          lengths[5] = -2;
          continue;
        }
        if (first === 126 /* ~ */ || first === 94 /* ^ */) {
          if (b - a < 2 || b - a > 7) return -1;
          let n = 0;
          for (let p = a + 1; p < b; p++) {
            const c = encoded.charCodeAt(p);
            const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
            if (d < 0) return -1;
            n = n * 36 + d;
          }
          const l =
            first === 126
              ? ROLL_LOG_DICTIONARY[n]?.length
              : n < literalCount
                ? literals[n]
                : undefined;
          if (l === undefined) return -1;
          lengths[k] = l;
          continue;
        }
        // a literal text (`\e`, the empty one, has an escape: it went to scanRollLog above)
        const l = b - a;
        if (l > 3) {
          if (literalCount === literals.length) {
            const more = new Int32Array(2 * literals.length);
            more.set(literals);
            literals = more;
          }
          literals[literalCount++] = l;
        }
        lengths[k] = l;
      }
      if (lengths[0] === -1 || lengths[5] === -1) return -1;
      if (!visit(lengths)) return -1;
    }
    return i;
  } finally {
    if (shared) {
      shared.busy = false;
      shared.literals = literals;
    }
  }
}

interface LengthScan {
  from: Int32Array;
  to: Int32Array;
  lengths: Int32Array;
  /** the lengths of the literal texts met so far in the log, by number */
  literals: Int32Array;
  busy: boolean;
}

const newLengthScan = (): LengthScan => ({
  from: new Int32Array(7),
  to: new Int32Array(7),
  lengths: new Int32Array(7),
  literals: new Int32Array(64),
  busy: false,
});
const lengthScan = newLengthScan();

/** Number(s.slice(start, end)), read in place when it is plain digits (with a `-`). */
function integerAt(s: string, start: number, end: number): number {
  let p = start;
  const negative = p < end && s.charCodeAt(p) === 45;
  if (negative) p++;
  if (p === end || end - p > 15) return Number(s.slice(start, end));
  let n = 0;
  for (; p < end; p++) {
    const d = s.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return Number(s.slice(start, end));
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/** Decode a stored roll log; a RangeError for a malformed one. */
export function decodeRollLog(encoded: string): RollLogStep[] {
  const steps: RollLogStep[] = [];
  scanRollLog(encoded, (f) => {
    // keys in the encoder's order, set one by one (object spreads per step were most of
    // the decoding time of a 10,000-NPC batch)
    const s = { step: f.step } as RollLogStep;
    if (f.table !== undefined) s.table = f.table;
    if (f.source !== undefined) s.source = f.source;
    if (f.dice !== undefined) s.dice = f.dice;
    s.rolls = f.rolls === '' ? [] : f.rolls.split(' ').map(Number);
    s.result = f.result;
    if (f.note !== undefined) s.note = f.note;
    steps.push(s);
  });
  return steps;
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
