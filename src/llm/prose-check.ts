/**
 * Does an explanation agree with the derivation it explains? Deterministic, no model:
 * every number the prose states (in digits or in words from two up) must be one of the
 * derivation's numbers (its question, steps, values, sources and result), and the result
 * must be stated as it is — every number of it in digits, every word of it verbatim. A
 * model that writes "THAC0 16" for a derived 15 is caught here and asked again, never
 * printed as fact (`dma explain`, exit 12 when it persists).
 */

const WORD_NUMBERS: Readonly<Record<string, number>> = {
  // "one" is left out: "no one", "the one in the PHB" are not numbers
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};
const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const COMPOUND = new RegExp(`\\b(${TENS.join('|')})[- ](${UNITS.join('|')})\\b`, 'gi');
const WORD = new RegExp(`\\b(${Object.keys(WORD_NUMBERS).join('|')})\\b`, 'gi');
/** ordinals in words ("sixth level") count as their number too */
const ORDINALS: Readonly<Record<string, number>> = {
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
};
const ORDINAL = new RegExp(`\\b(${Object.keys(ORDINALS).join('|')})\\b`, 'gi');

/** The numbers stated in digits (sign dropped: "AC −2" and "-2" are the same 2). */
export function digitNumbers(text: string): number[] {
  return [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
}

/** Every number a text states: in digits, and in words ("fifteen", "twenty-one", "sixth"). */
export function statedNumbers(text: string): number[] {
  const out = digitNumbers(text);
  let rest = text.replace(COMPOUND, (_, tens: string, unit: string) => {
    out.push(WORD_NUMBERS[tens.toLowerCase()]! + UNITS.indexOf(unit.toLowerCase()) + 1);
    return ' ';
  });
  rest = rest.replace(WORD, (w: string) => {
    out.push(WORD_NUMBERS[w.toLowerCase()]!);
    return ' ';
  });
  for (const m of rest.matchAll(ORDINAL)) out.push(ORDINALS[m[1]!.toLowerCase()]!);
  return out;
}

/** The leaves of a result: its numbers and its words, in order. */
function leaves(v: unknown, out: { numbers: number[]; words: string[] }) {
  if (typeof v === 'number') out.numbers.push(Math.abs(v));
  else if (typeof v === 'string' && v.trim() !== '') {
    // "18/76" and "3d6" are stated by their numbers; a word is stated as it is
    if (/\d/.test(v)) out.numbers.push(...digitNumbers(v));
    else out.words.push(v.trim());
  } else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v !== null && typeof v === 'object')
    for (const x of Object.values(v as Record<string, unknown>)) leaves(x, out);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const show = (ns: Iterable<number>) => [...new Set(ns)].sort((a, b) => a - b).join(', ');

export interface ExplainInput {
  question?: string;
  derivation: { result: unknown; steps: unknown[] };
}

/**
 * The disagreements of `prose` with the derivation, as messages for a follow-up to the
 * model (empty when it agrees).
 */
export function proseDisagreements(prose: string, input: ExplainInput): string[] {
  const allowed = new Set(
    statedNumbers(JSON.stringify({ q: input.question ?? '', d: input.derivation })).map((n) =>
      Math.abs(n),
    ),
  );
  const problems: string[] = [];
  const stated = statedNumbers(prose);
  const foreign = [...new Set(stated.filter((n) => !allowed.has(Math.abs(n))))];
  if (foreign.length > 0)
    problems.push(
      `the explanation states ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is' : 'are'} not among the derivation's numbers (${show(allowed)}); use only the derivation's numbers`,
    );
  const result = leaves(input.derivation.result, { numbers: [], words: [] });
  const inProse = new Set(digitNumbers(prose));
  const missing = result.numbers.filter((n) => !inProse.has(n));
  const missingWords = result.words.filter(
    (w) =>
      !new RegExp(`(^|[^\\w*])${escape(w)}(?=$|[^\\w*])`, w.length <= 2 ? '' : 'i').test(prose),
  );
  if (missing.length > 0 || missingWords.length > 0)
    problems.push(
      `the explanation does not state the derived result as it is: ${JSON.stringify(input.derivation.result)} (missing ${[...new Set(missing), ...missingWords].join(', ')}); state it verbatim`,
    );
  return problems;
}

/** An explanation output (`{explanation}`) against its explain-request input. */
export function explanationCheck(output: unknown, input: unknown): string[] {
  const prose = (output as { explanation?: unknown } | null)?.explanation;
  if (typeof prose !== 'string') return [];
  return proseDisagreements(prose, input as ExplainInput);
}
