/**
 * Scoring: every intent against the extracted slots, ranked.
 *
 * Confidence is the weight of the strongest anchor cue that matched (an intent with no
 * anchor scores 0), plus the other cues, minus the cues that point elsewhere, plus a
 * little for each slot the intent uses, capped at 1, and scaled down when a second intent
 * scores almost as high (ambiguous). Below CONFIDENCE_THRESHOLD the request is uncertain.
 */
import {
  INTENTS,
  SLOT_WEIGHT,
  type Cue,
  type IntentDefinition,
  type IntentName,
} from './intents.ts';
import { extractSlots, type Extraction, type SlotName, type Slots } from './slots.ts';

/** Below this the request is not understood: exit 3 with the ranked interpretations. */
export const CONFIDENCE_THRESHOLD = 0.6;
/** When the runner-up scores within this of the best, confidence is scaled down. */
export const AMBIGUITY_MARGIN = 0.2;

/** One way of reading a request. */
export interface Interpretation {
  intent: IntentName;
  confidence: number;
  /** the slots this intent uses that the text filled */
  slots: Slots;
  /** slots the intent needs that the text did not give */
  missing: SlotName[];
}

export interface IntentResult {
  /** the best intent, or "unknown" when no intent's cues matched at all */
  intent: IntentName | 'unknown';
  /** 0–1; compare with CONFIDENCE_THRESHOLD */
  confidence: number;
  /** the best intent's score before ambiguity scaled it down (comparable with the alternatives') */
  score: number;
  /** the slots this intent uses that the text filled */
  slots: Slots;
  /** slots the intent needs that the text did not give */
  missing: SlotName[];
  /** ids of the cues and slot rules that fired, for `--explain` and tests */
  matched_rules: string[];
  /** the other intents that scored, best first */
  alternatives: Interpretation[];
}

/** Case kept (names), whitespace collapsed, curly quotes straightened, end punctuation dropped. */
export function normaliseRequest(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.]+$/, '');
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const cueMatches = (cue: Cue, lower: string, x: Extraction) =>
  typeof cue.test === 'function' ? cue.test(x) : cue.test.test(lower);

interface Scored {
  intent: IntentName;
  score: number;
  slots: Slots;
  rules: string[];
  missing: SlotName[];
}

function score(def: IntentDefinition, lower: string, x: Extraction): Scored {
  const rules: string[] = [];
  let total = 0;
  // anchors are alternative evidence for the same thing: the strongest one counts
  for (const cue of def.anchors)
    if (cueMatches(cue, lower, x)) {
      total = Math.max(total, cue.weight);
      rules.push(cue.id);
    }
  const anchored = rules.length > 0;
  for (const cue of def.cues ?? [])
    if (cueMatches(cue, lower, x)) {
      total += cue.weight;
      rules.push(cue.id);
    }
  for (const cue of def.against ?? [])
    if (cueMatches(cue, lower, x)) {
      total -= cue.weight;
      rules.push(`-${cue.id}`);
    }
  const slots: Slots = {};
  for (const name of def.slots) {
    const value = x.slots[name];
    if (value !== undefined) (slots as Record<string, unknown>)[name] = value;
  }
  def.finish?.(x, slots);
  for (const name of Object.keys(slots) as SlotName[]) {
    total += SLOT_WEIGHT;
    const rule =
      name === 'level' && x.slots.dungeon_level !== undefined
        ? x.rules.dungeon_level
        : x.rules[name];
    rules.push(`slot:${rule ?? name}`);
  }
  const missing = (def.required ?? []).filter((s) => slots[s] === undefined);
  for (const s of def.needs?.(slots) ?? []) if (!missing.includes(s)) missing.push(s);
  return {
    intent: def.intent,
    score: anchored ? Math.max(0, Math.min(1, total)) : 0,
    slots,
    rules,
    missing,
  };
}

const ORDER = new Map(INTENTS.map((d, i) => [d.intent, i]));

/** Classify one normalised request (no cache: see ../intent.ts). */
export function classifyText(text: string): IntentResult {
  const x = extractSlots(text);
  const lower = text.toLowerCase();
  const ranked = INTENTS.map((d) => score(d, lower, x))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || ORDER.get(a.intent)! - ORDER.get(b.intent)!);
  const [best, second] = ranked;
  if (!best)
    return {
      intent: 'unknown',
      confidence: 0,
      score: 0,
      slots: {},
      missing: [],
      matched_rules: [],
      alternatives: [],
    };
  const margin = best.score - (second?.score ?? 0);
  const confidence =
    margin < AMBIGUITY_MARGIN ? best.score * (margin / AMBIGUITY_MARGIN) : best.score;
  return {
    intent: best.intent,
    confidence: round2(confidence),
    score: round2(best.score),
    slots: best.slots,
    missing: best.missing,
    matched_rules:
      margin < AMBIGUITY_MARGIN ? [...best.rules, `ambiguous:${second?.intent}`] : best.rules,
    alternatives: ranked.slice(1).map((s) => ({
      intent: s.intent,
      confidence: round2(s.score),
      slots: s.slots,
      missing: s.missing,
    })),
  };
}
