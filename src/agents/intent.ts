/**
 * Deterministic intent classification, no LLM (original design 001, "Intent
 * Classification Without LLM"): "Create a level 7 wizard NPC named Elara" →
 * `{intent: "npc.create", slots: {class: "mage", level: 7, name: "Elara"}}`.
 *
 * The steps, one file each under intent/:
 * - vocabulary.ts — synonym → canonical value (classes, races, saves, undead, abilities…);
 * - slots.ts — slot rules that fill slots from the text, in order, each consuming its span;
 * - intents.ts — the intents: weighted cues, the slots they read and need;
 * - scoring.ts — every intent scored and ranked, ambiguity lowers confidence;
 * - cache.ts — an LRU of results by normalised text.
 * This file puts them together behind `classifyIntent`.
 */
import { UsageError } from '../core/errors.ts';
import { LruCache } from './intent/cache.ts';
import { classifyText, normaliseRequest, type IntentResult } from './intent/scoring.ts';

export { LruCache } from './intent/cache.ts';
export {
  EXAMPLE_PHRASINGS,
  INTENTS,
  INTENT_NAMES,
  WRITING_INTENTS,
  type IntentName,
} from './intent/intents.ts';
export {
  AMBIGUITY_MARGIN,
  CONFIDENCE_THRESHOLD,
  normaliseRequest,
  type IntentResult,
  type Interpretation,
} from './intent/scoring.ts';
export { SLOT_RULES, type SlotName, type Slots } from './intent/slots.ts';
export {
  CLASS_SYNONYMS,
  ENTITY_TYPE_SYNONYMS,
  GENDER_SYNONYMS,
  RACE_SYNONYMS,
  SAVE_SYNONYMS,
  SIZE_SYNONYMS,
  THEME_SYNONYMS,
} from './intent/vocabulary.ts';

export const MAX_REQUEST_LENGTH = 1000;
export const DEFAULT_CACHE_SIZE = 256;

export interface IntentClassifier {
  classify(text: string): IntentResult;
  readonly cache: LruCache<string, IntentResult>;
}

/** A classifier with its own LRU cache of results keyed by the normalised text. */
export function createIntentClassifier(options: { cacheSize?: number } = {}): IntentClassifier {
  const cache = new LruCache<string, IntentResult>(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  return {
    cache,
    classify(text: string): IntentResult {
      if (text.length > MAX_REQUEST_LENGTH)
        throw new UsageError(
          `request is ${text.length} characters, at most ${MAX_REQUEST_LENGTH} are understood`,
        );
      const key = normaliseRequest(text);
      const cached = cache.get(key);
      if (cached) return structuredClone(cached);
      const result = classifyText(key);
      cache.set(key, result);
      return structuredClone(result);
    },
  };
}

const defaultClassifier = createIntentClassifier();

/** Classify a DM's request. Deterministic; results are cached by normalised text. */
export function classifyIntent(text: string): IntentResult {
  return defaultClassifier.classify(text);
}
