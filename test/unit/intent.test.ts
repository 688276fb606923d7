import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  CONFIDENCE_THRESHOLD,
  EXAMPLE_PHRASINGS,
  INTENT_NAMES,
  LruCache,
  MAX_REQUEST_LENGTH,
  classifyIntent,
  createIntentClassifier,
  normaliseRequest,
  type IntentName,
  type Slots,
} from '../../src/agents/intent.ts';
import { INTENT_MESSAGE_TYPES, intentToRequest } from '../../src/agents/intent-request.ts';
import { MESSAGE_TYPES } from '../../src/contracts/bus/registry.ts';
import { repoRoot } from '../helpers/dma.ts';

/** [text, intent, exact slots] — every case must be understood (at or above the threshold). */
const understood: [string, IntentName, Slots][] = [
  // npc.create
  [
    'Create a level 7 wizard NPC named Elara',
    'npc.create',
    { class: 'mage', level: 7, name: 'Elara' },
  ],
  [
    'create a 7th level mage called Elara',
    'npc.create',
    { class: 'mage', level: 7, name: 'Elara' },
  ],
  ['Make a lvl 7 magic-user named Elara', 'npc.create', { class: 'mage', level: 7, name: 'Elara' }],
  ['make a seventh-level magic user', 'npc.create', { class: 'mage', level: 7 }],
  ['generate a level seven sorceress', 'npc.create', { class: 'mage', level: 7, gender: 'female' }],
  ['I need a priest, level 4', 'npc.create', { class: 'cleric', level: 4 }],
  ['create a warrior', 'npc.create', { class: 'fighter' }],
  [
    'roll up a 3rd level halfling rogue',
    'npc.create',
    { class: 'thief', level: 3, race: 'halfling' },
  ],
  [
    'Make three lawful good dwarf fighters, 5th level',
    'npc.create',
    { class: 'fighter', level: 5, race: 'dwarf', alignment: 'lawful good', count: 3 },
  ],
  ['create 5 NPCs', 'npc.create', { count: 5 }],
  ['generate a dozen guards', 'npc.create', { count: 12 }],
  ['Create 3 level 5 fighters', 'npc.create', { class: 'fighter', level: 5, count: 3 }],
  ['Create level 7 wizards', 'npc.create', { class: 'mage', level: 7 }],
  ['Make 2 elven rangers', 'npc.create', { class: 'ranger', race: 'elf', count: 2 }],
  [
    'I need a seventh-level priestess, LG, named Mira',
    'npc.create',
    { class: 'cleric', level: 7, alignment: 'lawful good', name: 'Mira', gender: 'female' },
  ],
  [
    'create a chaotic-neutral half elf bard',
    'npc.create',
    { class: 'bard', race: 'half-elf', alignment: 'chaotic neutral' },
  ],
  [
    'create a CE male human necromancer',
    'npc.create',
    { class: 'necromancer', race: 'human', alignment: 'chaotic evil', gender: 'male' },
  ],
  [
    'create a true neutral gnome illusionist',
    'npc.create',
    { class: 'illusionist', race: 'gnome', alignment: 'true neutral' },
  ],
  ['create a neutral neutral druid', 'npc.create', { class: 'druid', alignment: 'true neutral' }],
  [
    'Make a woman fighter named Anna Maria of the Vale',
    'npc.create',
    { class: 'fighter', name: 'Anna Maria of the Vale', gender: 'female' },
  ],
  [
    'Generate a lvl 3 magic-user called "Zed the Grey"',
    'npc.create',
    { class: 'mage', level: 3, name: 'Zed the Grey' },
  ],
  ['create an NPC named elara', 'npc.create', { name: 'elara' }],
  ['create a paladin with seed 42', 'npc.create', { class: 'paladin', seed: 42 }],
  // rules.thac0
  ['What is the THAC0 of a 5th level fighter?', 'rules.thac0', { class: 'fighter', level: 5 }],
  ["What's the thaco for a 1st level wizard", 'rules.thac0', { class: 'mage', level: 1 }],
  ['thac0 for a level 9 rogue', 'rules.thac0', { class: 'thief', level: 9 }],
  ['rogue thac0 level 12', 'rules.thac0', { class: 'thief', level: 12 }],
  ['what is the thac0 of a priest level 7', 'rules.thac0', { class: 'cleric', level: 7 }],
  ['THAC0?', 'rules.thac0', {}],
  // rules.save
  [
    'saving throw vs spell for a 7th level cleric',
    'rules.save',
    { class: 'cleric', level: 7, save: 'spell' },
  ],
  ['What are the saves for a 10th level mage', 'rules.save', { class: 'mage', level: 10 }],
  [
    'save vs breath weapon for a level 3 fighter',
    'rules.save',
    { class: 'fighter', level: 3, save: 'breath' },
  ],
  [
    'poison save for a level 4 thief',
    'rules.save',
    { class: 'thief', level: 4, save: 'paralyzation' },
  ],
  [
    'saving throws against petrification, 9th level druid',
    'rules.save',
    { class: 'druid', level: 9, save: 'petrification' },
  ],
  ['save versus wands for a lvl 2 bard', 'rules.save', { class: 'bard', level: 2, save: 'rod' }],
  // dice.roll
  ['Roll 4d6 drop lowest', 'dice.roll', { notation: '4d6dl1' }],
  ['roll 4d6, drop the lowest die', 'dice.roll', { notation: '4d6dl1' }],
  ['roll 2d20 keep highest', 'dice.roll', { notation: '2d20kh1' }],
  ['roll 4d6 keep the best 3', 'dice.roll', { notation: '4d6kh3' }],
  ['roll 5d6 keep lowest 2', 'dice.roll', { notation: '5d6kl2' }],
  ['roll 3d6 drop highest', 'dice.roll', { notation: '3d6dh1' }],
  ['roll d%', 'dice.roll', { notation: 'd%' }],
  ['roll percentile dice', 'dice.roll', { notation: 'd%' }],
  ['roll 1d8+2', 'dice.roll', { notation: '1d8+2' }],
  ['roll 2d6 plus 3', 'dice.roll', { notation: '2d6+3' }],
  ['roll 1d4 minus 1', 'dice.roll', { notation: '1d4-1' }],
  ['roll 4d6dl1', 'dice.roll', { notation: '4d6dl1' }],
  ['roll a d20', 'dice.roll', { notation: 'd20' }],
  ['3d6', 'dice.roll', { notation: '3d6' }],
  ['roll three six-sided dice', 'dice.roll', { notation: '3d6' }],
  ['roll a six-sided die', 'dice.roll', { notation: '1d6' }],
  ['roll 2d6 with seed 7', 'dice.roll', { notation: '2d6', seed: 7 }],
  // dungeon.generate
  [
    'Generate a small dungeon for a level 3 party',
    'dungeon.generate',
    { size: 'small', party_level: 3 },
  ],
  ['a 20-room dungeon, dungeon level 2', 'dungeon.generate', { rooms: 20, level: 2 }],
  ['generate a level 2 dungeon with seed 42', 'dungeon.generate', { level: 2, seed: 42 }],
  ['Generate a dungeon with 12 rooms', 'dungeon.generate', { rooms: 12 }],
  [
    'make a large crypt for a party of 5th level characters',
    'dungeon.generate',
    { size: 'large', party_level: 5, theme: 'crypt' },
  ],
  [
    'build a huge cave for 4th level adventurers',
    'dungeon.generate',
    { size: 'large', party_level: 4, theme: 'cavern' },
  ],
  [
    'create a 3rd level tomb for a level 5 party',
    'dungeon.generate',
    { level: 3, party_level: 5, theme: 'crypt' },
  ],
  ['new dungeon', 'dungeon.generate', {}],
  // entity.search
  ['Find the NPCs named Elara', 'entity.search', { type: 'npc', query: 'Elara' }],
  ['search for the Red Hand faction', 'entity.search', { type: 'faction', query: 'Red Hand' }],
  ['look up Elara', 'entity.search', { query: 'Elara' }],
  ['search the campaign for dragons', 'entity.search', { query: 'dragons' }],
  ['find all locations called Greyhawk', 'entity.search', { type: 'location', query: 'Greyhawk' }],
  ['list all factions', 'entity.search', { type: 'faction' }],
  // entity.show
  ['Show Elara', 'entity.show', { ref: 'Elara' }],
  ['Who is Elara?', 'entity.show', { ref: 'Elara' }],
  ['tell me about the Red Hand', 'entity.show', { ref: 'Red Hand' }],
  ['describe the NPC Elara', 'entity.show', { type: 'npc', ref: 'Elara' }],
];

const notUnderstood = [
  'tell me a joke',
  'hello',
  'what is the weather',
  'thanks!',
  'level 7',
  'Elara',
  'named Elara',
  'lawful good',
  'the dragon attacks',
  '',
  '   ',
  '?!',
];

/** Two intents both plausible: confidence must fall below the threshold. */
const ambiguous: [string, IntentName, IntentName][] = [
  ['thac0 and saving throws for a 5th level fighter', 'rules.thac0', 'rules.save'],
  ['THAC0 and saves of a level 3 cleric', 'rules.thac0', 'rules.save'],
];

describe('classifyIntent: understood phrasings', () => {
  it.each(understood)('%j → %s %j', (text, intent, slots) => {
    const r = classifyIntent(text);
    expect(r.intent).toBe(intent);
    expect(r.slots).toEqual(slots);
    expect(r.confidence).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.matched_rules.length).toBeGreaterThan(0);
  });

  it('every example phrasing is understood as its intent, and every intent has one', () => {
    for (const { intent, example } of EXAMPLE_PHRASINGS) {
      const r = classifyIntent(example);
      expect(r.intent, example).toBe(intent);
      expect(r.confidence, example).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
      expect(r.missing, example).toEqual([]);
    }
    expect(new Set(EXAMPLE_PHRASINGS.map((e) => e.intent))).toEqual(new Set(INTENT_NAMES));
  });

  it('more cues give more confidence', () => {
    expect(classifyIntent('create an NPC').confidence).toBeLessThan(
      classifyIntent('Create a level 7 wizard NPC named Elara').confidence,
    );
  });

  it('explains itself: the cues and slot rules that fired', () => {
    const r = classifyIntent('Create a level 7 wizard NPC named Elara');
    expect(r.matched_rules).toEqual(
      expect.arrayContaining([
        'npc.noun',
        'npc.create-verb',
        'slot:class',
        'slot:level',
        'slot:name.capitalised',
      ]),
    );
  });

  it('reports missing slots the intent needs', () => {
    expect(classifyIntent('what is the thac0 of a fighter').missing).toEqual(['level']);
    expect(classifyIntent('THAC0?').missing).toEqual(['class', 'level']);
    expect(classifyIntent('list all factions').missing).toEqual(['query']);
  });

  it('keeps a party level apart from a dungeon level', () => {
    expect(
      classifyIntent('Generate a small dungeon for a level 3 party').slots.level,
    ).toBeUndefined();
    expect(classifyIntent('generate a dungeon, level 4').slots).toEqual({ level: 4 });
  });

  it('does not read a level or a dice count as a number of NPCs', () => {
    expect(classifyIntent('create a level 7 wizard').slots.count).toBeUndefined();
    expect(classifyIntent('create 7th level wizards').slots).toEqual({ class: 'mage', level: 7 });
  });
});

describe('classifyIntent: not understood', () => {
  it.each(notUnderstood)('%j is below the threshold', (text) => {
    const r = classifyIntent(text);
    expect(r.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
  });

  it('says "unknown" with nothing matched', () => {
    expect(classifyIntent('tell me a joke')).toEqual({
      intent: 'unknown',
      confidence: 0,
      score: 0,
      slots: {},
      missing: [],
      matched_rules: [],
      alternatives: [],
    });
  });

  it.each(ambiguous)('%j is ambiguous between %s and %s', (text, a, b) => {
    const r = classifyIntent(text);
    expect([a, b]).toContain(r.intent);
    expect(r.alternatives.map((x) => x.intent)).toContain(r.intent === a ? b : a);
    expect(r.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
    expect(r.matched_rules.some((m) => m.startsWith('ambiguous:'))).toBe(true);
  });

  it('a search is not a creation, a roll-up is not a dice roll', () => {
    expect(
      classifyIntent('Find the NPCs named Elara').alternatives.map((a) => a.intent),
    ).not.toContain('npc.create');
    expect(classifyIntent('roll up a fighter').intent).toBe('npc.create');
    expect(classifyIntent('roll 4d6 for a fighter').intent).toBe('dice.roll');
  });

  it('refuses over-long input', () => {
    expect(() => classifyIntent('x'.repeat(MAX_REQUEST_LENGTH + 1))).toThrow(UsageError);
  });
});

describe('normalisation and cache', () => {
  it('normalises whitespace, quotes and end punctuation, keeping case', () => {
    expect(normaliseRequest('  Show   Elara?! ')).toBe('Show Elara');
    expect(normaliseRequest('named “Zed”')).toBe('named "Zed"');
  });

  it('is deterministic and serves repeats from the cache', () => {
    const c = createIntentClassifier({ cacheSize: 2 });
    const a = c.classify('Roll 4d6 drop lowest');
    const b = c.classify('  Roll   4d6 drop lowest? ');
    expect(b).toEqual(a);
    expect(c.cache.hits).toBe(1);
    expect(c.cache.misses).toBe(1);
  });

  it('returns copies: a caller cannot poison the cache', () => {
    const c = createIntentClassifier();
    const r = c.classify('Show Elara');
    r.slots.ref = 'Mallory';
    expect(c.classify('Show Elara').slots.ref).toBe('Elara');
  });

  it('evicts the least recently used entry', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.has('a')).toBe(true);
    expect(lru.has('b')).toBe(false);
    expect(lru.size).toBe(2);
    expect(() => new LruCache(0)).toThrow(UsageError);
  });
});

describe('intentToRequest', () => {
  it('"Create a level 7 wizard NPC named Elara" becomes the golden world.npc.generate request', () => {
    const golden = JSON.parse(
      readFileSync(join(repoRoot, 'golden/messages/world.npc.generate.request.elara.json'), 'utf8'),
    ) as { type: string; payload: Record<string, unknown> };
    const req = intentToRequest(classifyIntent('Create a level 7 wizard NPC named Elara'));
    expect(req.type).toBe(golden.type);
    expect(golden.payload).toMatchObject(req.payload as Record<string, unknown>);
    expect(req.payload).toEqual({ class: 'mage', level: 7, name: 'Elara' });
  });

  it.each(understood.filter(([text]) => classifyIntent(text).missing.length === 0))(
    '%j gives a valid %s request',
    (text) => {
      const r = classifyIntent(text);
      const { type, payload } = intentToRequest(r);
      expect(type).toBe(INTENT_MESSAGE_TYPES[r.intent as IntentName]);
      expect(MESSAGE_TYPES[type].request.safeParse(payload).success).toBe(true);
    },
  );

  it('refuses what was not understood, with example phrasings', () => {
    expect(() => intentToRequest(classifyIntent('tell me a joke'))).toThrow(
      expect.objectContaining({
        message: 'request not understood',
        hint: expect.stringContaining('Roll 4d6 drop lowest'),
      }),
    );
  });

  it('refuses missing and out-of-range slots', () => {
    expect(() => intentToRequest(classifyIntent('thac0 of a fighter'))).toThrow(
      'rules.thac0: missing level',
    );
    expect(() => intentToRequest(classifyIntent('create a level 25 fighter'))).toThrow(
      /^npc\.create: level: /,
    );
  });
});
