/**
 * From a classified request to a bus request: which message type an intent becomes and
 * its payload, validated against the registry's request schema; and the `dma` command
 * line that asks the same thing, shown with each interpretation.
 */
import { UsageError } from '../core/errors.ts';
import { checkRequestPayload } from '../contracts/bus/validate.ts';
import type { MessageType } from '../contracts/bus/vocabulary.ts';
import {
  CONFIDENCE_THRESHOLD,
  EXAMPLE_PHRASINGS,
  type IntentName,
  type IntentResult,
  type Interpretation,
  type Slots,
} from './intent.ts';

/** The bus message type each intent is carried out by. */
export const INTENT_MESSAGE_TYPES: Readonly<Record<IntentName, MessageType>> = {
  'npc.create': 'world.npc.generate',
  'rules.thac0': 'rules.thac0',
  'rules.save': 'rules.save',
  'rules.to-hit': 'rules.lookup',
  'rules.ability': 'rules.lookup',
  'rules.xp': 'rules.lookup',
  'rules.turn': 'rules.lookup',
  'rules.thief-skills': 'rules.lookup',
  'rules.spells': 'rules.lookup',
  'rules.monster': 'rules.lookup',
  'dice.roll': 'rules.roll',
  'dungeon.generate': 'world.dungeon.generate',
  'entity.search': 'entity.search',
  'entity.show': 'entity.retrieve',
};

/** Which slots feed which payload field (same name unless listed). */
const PAYLOAD_FIELDS: Partial<Record<IntentName, readonly (keyof Slots)[]>> = {
  'npc.create': ['class', 'level', 'race', 'alignment', 'name', 'gender', 'count', 'seed'],
  'rules.thac0': ['class', 'level'],
  'rules.save': ['class', 'level', 'save'],
  'dice.roll': ['notation', 'seed'],
  'dungeon.generate': ['size', 'rooms', 'level', 'party_level', 'theme', 'seed'],
  'entity.search': ['query', 'type'],
  'entity.show': ['ref', 'type'],
};

/**
 * The rules.lookup tables (src/agents/sma-lookups.ts) of the lookup intents: the table,
 * the slot that is its key, and the slots that are its params.
 */
export const LOOKUP_TABLES: Partial<
  Record<IntentName, { table: string; key: keyof Slots; params: readonly (keyof Slots)[] }>
> = {
  'rules.to-hit': { table: 'to-hit', key: 'class', params: ['level', 'ac', 'str'] },
  'rules.ability': { table: 'ability', key: 'ability', params: ['score', 'class'] },
  'rules.xp': { table: 'xp', key: 'class', params: ['level', 'xp'] },
  'rules.turn': { table: 'turn-undead', key: 'level', params: ['undead', 'class'] },
  'rules.thief-skills': { table: 'thief-skills', key: 'level', params: ['race', 'dex'] },
  'rules.spells': { table: 'spells', key: 'class', params: ['level', 'wis'] },
  'rules.monster': { table: 'monster', key: 'monster', params: [] },
};

/** `rules.save` with a race: the `save` lookup (the vs word "poison" kept as said). */
const RACIAL_SAVE: { table: string; key: keyof Slots; params: readonly (keyof Slots | 'vs')[] } = {
  table: 'save',
  key: 'class',
  params: ['level', 'race', 'con', 'vs'],
};

const examples = () => EXAMPLE_PHRASINGS.map((e) => `"${e.example}"`).join('; ');
const quote = (s: string) => (/^[\w./+-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`);

/**
 * The `dma` command line that asks what this interpretation asks (shown with the ranked
 * interpretations, so a DM can run the exact one meant).
 */
export function commandLine(i: Pick<Interpretation, 'intent' | 'slots'>): string {
  const s = i.slots;
  const opt = (flag: string, v: unknown) =>
    v === undefined ? [] : [`--${flag}`, quote(String(v))];
  const words: string[] = ['dma'];
  switch (i.intent) {
    case 'npc.create':
      words.push('npc', 'create', ...opt('class', s.class), ...opt('level', s.level));
      words.push(...opt('race', s.other_race ?? s.race), ...opt('alignment', s.alignment));
      words.push(...opt('name', s.name), ...opt('gender', s.gender), ...opt('count', s.count));
      break;
    case 'rules.thac0':
      words.push('thac0', s.class ?? '<class>', String(s.level ?? '<level>'));
      break;
    case 'rules.save':
      words.push(
        'save',
        s.class ?? '<class>',
        String(s.level ?? '<level>'),
        ...opt('vs', s.save_word ?? s.save),
      );
      words.push(...opt('race', s.race), ...opt('con', s.con));
      break;
    case 'rules.to-hit':
      words.push('to-hit', s.class ?? '<class>', String(s.level ?? '<level>'));
      words.push('--ac', String(s.ac ?? '<ac>'), ...opt('str', s.str));
      break;
    case 'rules.ability':
      words.push(
        'ability',
        s.ability ?? '<ability>',
        s.score ?? '<score>',
        ...opt('class', s.class),
      );
      break;
    case 'rules.xp':
      words.push('xp', s.class ?? '<class>');
      if (s.xp !== undefined) words.push(String(s.xp));
      else words.push('--level', String(s.level ?? '<level>'));
      break;
    case 'rules.turn':
      words.push('turn', String(s.level ?? '<level>'));
      if (s.undead !== undefined) words.push(s.undead);
      words.push(...opt('class', s.class));
      break;
    case 'rules.thief-skills':
      words.push('thief-skills', String(s.level ?? '<level>'), ...opt('race', s.race));
      words.push(...opt('dex', s.dex));
      break;
    case 'rules.spells':
      words.push(
        'spells',
        s.class ?? '<class>',
        String(s.level ?? '<level>'),
        ...opt('wis', s.wis),
      );
      break;
    case 'rules.monster':
      words.push('monster', quote(s.monster ?? '<name>'));
      break;
    case 'dice.roll':
      words.push('roll', s.notation ?? '<dice>', ...opt('seed', s.seed));
      break;
    case 'dungeon.generate':
      words.push('dungeon', 'gen', ...opt('size', s.size), ...opt('rooms', s.rooms));
      words.push(...opt('level', s.level), ...opt('party-level', s.party_level));
      words.push(...opt('theme', s.theme), ...opt('seed', s.seed));
      break;
    case 'entity.search':
      words.push('entity', 'search', quote(s.query ?? '<query>'), ...opt('type', s.type));
      break;
    case 'entity.show':
      words.push('entity', 'show', quote(s.ref ?? '<name>'));
      break;
  }
  return words.join(' ');
}

/**
 * A request for NPCs of a people the PHB does not offer as a race ("3 orc NPCs") is refused
 * with the reason, never filled with NPCs of other races.
 */
function refuseOtherRace(slots: Slots): void {
  if (slots.other_race === undefined) return;
  throw new UsageError(
    `cannot create ${slots.other_race} NPCs: the NPC generator builds characters of the PHB player races (human, dwarf, elf, gnome, half-elf, halfling) and "${slots.other_race}" is not one of them`,
    {
      hint: `for the monster's statistics: dma ask "stats for ${/^[aeiou]/.test(slots.other_race) ? 'an' : 'a'} ${slots.other_race}"; for a classed NPC of a PHB race, name one (e.g. "3 human fighter NPCs")`,
      details: { intent: 'npc.create', race: slots.other_race },
    },
  );
}

/** The readings of a request, best first, each with the `dma` command that asks it. */
export function rankedInterpretations(
  result: IntentResult,
): (Interpretation & { rank: number; command: string })[] {
  if (result.intent === 'unknown') return [];
  const best: Interpretation = {
    intent: result.intent,
    confidence: result.score,
    slots: result.slots,
    missing: result.missing,
  };
  return [best, ...result.alternatives].map((i, n) => ({
    rank: n + 1,
    ...i,
    command: commandLine(i),
  }));
}

/**
 * Exit 3 for a reading below CONFIDENCE_THRESHOLD: nothing is published or written. The
 * ranked interpretations are in the hint (text) and in `details.interpretations` (JSON).
 */
function uncertain(result: IntentResult): UsageError {
  const ranked = rankedInterpretations(result);
  const list = ranked
    .slice(0, 4)
    .map((i) => `${i.rank}. ${i.intent} (score ${i.confidence}): ${i.command}`)
    .join('; ');
  return new UsageError(
    `not certain what is meant (best reading ${result.intent} at confidence ${result.confidence}, below ${CONFIDENCE_THRESHOLD}); nothing was done`,
    {
      hint: `${list} — run one of these, rephrase, or add --yes to take the first`,
      details: {
        intent: result.intent,
        confidence: result.confidence,
        threshold: CONFIDENCE_THRESHOLD,
        interpretations: ranked,
      },
    },
  );
}

/**
 * The bus request for a classification. Throws UsageError (exit 3) when the request was
 * not understood (below CONFIDENCE_THRESHOLD, unless `accept` takes the best reading;
 * the hint lists EXAMPLE_PHRASINGS), when a needed slot is missing, when the request is
 * impossible (NPCs of a non-PHB race) or a slot is out of range ("level 25").
 */
export function intentToRequest(
  result: Pick<IntentResult, 'intent' | 'confidence' | 'slots' | 'missing'> &
    Partial<Pick<IntentResult, 'alternatives'>>,
  opts: { accept?: boolean } = {},
): { type: MessageType; payload: unknown } {
  if (result.intent === 'unknown')
    throw new UsageError('request not understood', {
      hint: `try: ${examples()}`,
      details: { intent: 'unknown', confidence: 0, interpretations: [] },
    });
  if (result.confidence < CONFIDENCE_THRESHOLD && opts.accept !== true)
    throw uncertain(result as IntentResult);
  if (result.intent === 'npc.create') refuseOtherRace(result.slots);
  if (result.missing.length > 0)
    throw new UsageError(`${result.intent}: missing ${result.missing.join(', ')}`, {
      hint: `for example: "${EXAMPLE_PHRASINGS.find((e) => e.intent === result.intent)?.example ?? ''}"`,
    });
  // a save with a race (and Constitution) is `dma save`'s lookup, with the racial bonus
  const racialSave =
    result.intent === 'rules.save' &&
    (result.slots.race !== undefined || result.slots.con !== undefined);
  const type = racialSave ? 'rules.lookup' : INTENT_MESSAGE_TYPES[result.intent];
  const payload: Record<string, unknown> = {};
  const lookup = racialSave ? RACIAL_SAVE : LOOKUP_TABLES[result.intent];
  if (lookup) {
    payload['table'] = lookup.table;
    payload['key'] = result.slots[lookup.key];
    const params: Record<string, unknown> = {};
    for (const p of lookup.params as readonly (keyof Slots | 'vs')[])
      if (p === 'vs') {
        const vs = result.slots.save_word ?? result.slots.save;
        if (vs !== undefined) params['vs'] = vs;
      } else if (result.slots[p] !== undefined) params[p] = result.slots[p];
    if (Object.keys(params).length > 0) payload['params'] = params;
  } else {
    for (const field of PAYLOAD_FIELDS[result.intent] ?? [])
      if (result.slots[field] !== undefined) payload[field] = result.slots[field];
  }
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
