/**
 * From a classified request to a bus request: which message type an intent becomes and
 * its payload, validated against the registry's request schema.
 */
import { UsageError } from '../core/errors.ts';
import { checkRequestPayload } from '../contracts/bus/validate.ts';
import type { MessageType } from '../contracts/bus/vocabulary.ts';
import {
  CONFIDENCE_THRESHOLD,
  EXAMPLE_PHRASINGS,
  type IntentName,
  type IntentResult,
  type Slots,
} from './intent.ts';

/** The bus message type each intent is carried out by. */
export const INTENT_MESSAGE_TYPES: Readonly<Record<IntentName, MessageType>> = {
  'npc.create': 'world.npc.generate',
  'rules.thac0': 'rules.thac0',
  'rules.save': 'rules.save',
  'dice.roll': 'rules.roll',
  'dungeon.generate': 'world.dungeon.generate',
  'entity.search': 'entity.search',
  'entity.show': 'entity.retrieve',
};

/** Which slots feed which payload field (same name unless listed). */
const PAYLOAD_FIELDS: Readonly<Record<IntentName, readonly (keyof Slots)[]>> = {
  'npc.create': ['class', 'level', 'race', 'alignment', 'name', 'gender', 'count', 'seed'],
  'rules.thac0': ['class', 'level'],
  'rules.save': ['class', 'level', 'save'],
  'dice.roll': ['notation', 'seed'],
  'dungeon.generate': ['size', 'rooms', 'level', 'party_level', 'theme', 'seed'],
  'entity.search': ['query', 'type'],
  'entity.show': ['ref', 'type'],
};

const examples = () => EXAMPLE_PHRASINGS.map((e) => `"${e.example}"`).join('; ');

/**
 * The bus request for a classification. Throws UsageError (exit 3) when the request was
 * not understood (below CONFIDENCE_THRESHOLD; the hint lists EXAMPLE_PHRASINGS), when a
 * needed slot is missing, or when a slot is out of range ("level 25").
 */
export function intentToRequest(result: IntentResult): { type: MessageType; payload: unknown } {
  if (result.intent === 'unknown' || result.confidence < CONFIDENCE_THRESHOLD)
    throw new UsageError('request not understood', {
      hint: `try: ${examples()}`,
      details: {
        intent: result.intent,
        confidence: result.confidence,
        alternatives: result.alternatives,
      },
    });
  if (result.missing.length > 0)
    throw new UsageError(`${result.intent}: missing ${result.missing.join(', ')}`, {
      hint: `for example: "${EXAMPLE_PHRASINGS.find((e) => e.intent === result.intent)?.example ?? ''}"`,
    });
  const type = INTENT_MESSAGE_TYPES[result.intent];
  const payload: Record<string, unknown> = {};
  for (const field of PAYLOAD_FIELDS[result.intent])
    if (result.slots[field] !== undefined) payload[field] = result.slots[field];
  // checked on a copy: the planned payload goes out as written (defaults are the bus's)
  const checked = checkRequestPayload(type, { ...payload });
  if (!checked.ok) {
    const { issue } = checked;
    throw new UsageError(
      `${result.intent}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
      { details: { issues: [issue] } },
    );
  }
  return { type, payload };
}
