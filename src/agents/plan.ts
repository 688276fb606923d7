/**
 * `dma ask`'s planning step: plain words → intent (no LLM) → the bus request to publish.
 * Apart from the orchestrator, so a command that knows its request (npc create, dungeon
 * gen) never loads the intent classifier.
 */
import { randomSeed } from '../core/rng.ts';
import { agentOf, type MessageType } from '../contracts/bus/vocabulary.ts';
import { CONFIDENCE_THRESHOLD, classifyIntent, type IntentResult } from './intent.ts';
import { intentToRequest } from './intent-request.ts';

/** Message types whose requests generate: the orchestrator saves their results and fixes a seed. */
const SAVING_TYPES: readonly MessageType[] = ['world.npc.generate', 'world.dungeon.generate'];
const SEEDED_TYPES: readonly MessageType[] = [...SAVING_TYPES, 'rules.roll'];

export interface PlannedRequest {
  intent: IntentResult;
  /** carried out with --yes although below the confidence threshold */
  accepted_below_threshold: boolean;
  type: MessageType;
  target: string;
  payload: Record<string, unknown>;
}

/**
 * Classify and turn into the request to publish: generation is saved and every seeded
 * request carries its seed, so the recording can be replayed. UsageError (exit 3) below
 * the confidence threshold, with example phrasings in the hint.
 */
export function planRequest(
  text: string,
  opts: { seed?: number; accept?: boolean } = {},
): PlannedRequest {
  const intent = classifyIntent(text);
  const { type, payload } = intentToRequest(intent, { accept: opts.accept === true });
  const p = { ...(payload as Record<string, unknown>) };
  if (SAVING_TYPES.includes(type)) p['save'] = true;
  if (SEEDED_TYPES.includes(type) && p['seed'] === undefined) p['seed'] = opts.seed ?? randomSeed();
  return {
    intent,
    accepted_below_threshold: intent.confidence < CONFIDENCE_THRESHOLD,
    type,
    target: agentOf(type),
    payload: p,
  };
}
