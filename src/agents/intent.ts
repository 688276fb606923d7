/**
 * Deterministic intent classification, no LLM (original design 001, "Intent
 * Classification Without LLM"): "Create a level 7 wizard NPC named Elara" →
 * `{intent: "npc.create", slots: {class: "mage", level: 7, name: "Elara"}}`.
 *
 * Everything the classifier knows is data below: vocabularies (synonym → canonical
 * value), slot rules (patterns that fill slots, in order, each consuming the text it
 * matched so later rules do not read it twice) and intent definitions (weighted cues,
 * negative cues, the slots they use). Adding an intent is one entry in INTENTS.
 *
 * Confidence is the weight of the strongest anchor cue that matched (an intent with no
 * anchor scores 0), plus the other cues, minus the cues that point elsewhere, plus a
 * little for each slot the intent uses, capped at 1, and scaled down when a second intent scores almost
 * as high (ambiguous). Below CONFIDENCE_THRESHOLD the caller shows EXAMPLE_PHRASINGS.
 */
import { UsageError } from '../core/errors.ts';
import type {
  Alignment,
  ClassName,
  DungeonSize,
  EntityType,
  Gender,
  RaceName,
  SaveCategory,
} from '../contracts/bus/vocabulary.ts';

export const INTENT_NAMES = [
  'npc.create',
  'rules.thac0',
  'rules.save',
  'dice.roll',
  'dungeon.generate',
  'entity.search',
  'entity.show',
] as const;
export type IntentName = (typeof INTENT_NAMES)[number];

/** Below this the request is not understood: exit 3 with EXAMPLE_PHRASINGS. */
export const CONFIDENCE_THRESHOLD = 0.6;
/** When the runner-up scores within this of the best, confidence is scaled down. */
export const AMBIGUITY_MARGIN = 0.2;
export const MAX_REQUEST_LENGTH = 1000;
export const DEFAULT_CACHE_SIZE = 256;

export const EXAMPLE_PHRASINGS: readonly { intent: IntentName; example: string }[] = [
  { intent: 'npc.create', example: 'Create a level 7 wizard NPC named Elara' },
  { intent: 'npc.create', example: 'Make three lawful good dwarf fighters, 5th level' },
  { intent: 'rules.thac0', example: 'What is the THAC0 of a 5th level fighter?' },
  { intent: 'rules.save', example: 'Saving throw vs spell for a 7th level cleric' },
  { intent: 'dice.roll', example: 'Roll 4d6 drop lowest' },
  { intent: 'dungeon.generate', example: 'Generate a small dungeon for a level 3 party' },
  { intent: 'entity.search', example: 'Find the NPCs named Elara' },
  { intent: 'entity.show', example: 'Show Elara' },
];

/** Everything a request can carry; each intent reads the slots it uses. */
export interface Slots {
  class?: ClassName;
  level?: number;
  race?: RaceName;
  alignment?: Alignment;
  name?: string;
  gender?: Gender;
  count?: number;
  notation?: string;
  size?: DungeonSize;
  rooms?: number;
  party_level?: number;
  theme?: string;
  save?: SaveCategory;
  type?: EntityType;
  query?: string;
  ref?: string;
  seed?: number;
}
export type SlotName = keyof Slots;

export interface IntentResult {
  /** the best intent, or "unknown" when no intent's cues matched at all */
  intent: IntentName | 'unknown';
  /** 0–1; compare with CONFIDENCE_THRESHOLD */
  confidence: number;
  /** the slots this intent uses that the text filled */
  slots: Slots;
  /** slots the intent needs that the text did not give */
  missing: SlotName[];
  /** ids of the cues and slot rules that fired, for `--explain` and tests */
  matched_rules: string[];
  /** the other intents that scored, best first */
  alternatives: { intent: IntentName; confidence: number }[];
}

// ---------------------------------------------------------------------------
// Vocabularies: [canonical value, synonyms (lower case, plurals included)]

type Vocabulary<T> = readonly (readonly [T, readonly string[]])[];

export const CLASS_SYNONYMS: Vocabulary<ClassName> = [
  [
    'fighter',
    ['fighter', 'fighters', 'warrior', 'warriors', 'swordsman', 'swordsmen', 'soldier', 'soldiers'],
  ],
  ['paladin', ['paladin', 'paladins']],
  ['ranger', ['ranger', 'rangers']],
  [
    'mage',
    [
      'mage',
      'mages',
      'wizard',
      'wizards',
      'magic-user',
      'magic-users',
      'magic user',
      'magic users',
      'magician',
      'magicians',
      'sorcerer',
      'sorcerers',
      'sorceress',
      'sorceresses',
    ],
  ],
  ['abjurer', ['abjurer', 'abjurers']],
  ['conjurer', ['conjurer', 'conjurers', 'conjuror', 'conjurors']],
  ['diviner', ['diviner', 'diviners']],
  ['enchanter', ['enchanter', 'enchanters', 'enchantress', 'enchantresses']],
  ['illusionist', ['illusionist', 'illusionists']],
  ['invoker', ['invoker', 'invokers']],
  ['necromancer', ['necromancer', 'necromancers']],
  ['transmuter', ['transmuter', 'transmuters']],
  ['cleric', ['cleric', 'clerics', 'priest', 'priests', 'priestess', 'priestesses']],
  ['druid', ['druid', 'druids']],
  [
    'thief',
    [
      'thief',
      'thieves',
      'rogue',
      'rogues',
      'burglar',
      'burglars',
      'cutpurse',
      'cutpurses',
      'pickpocket',
      'pickpockets',
    ],
  ],
  ['bard', ['bard', 'bards', 'minstrel', 'minstrels']],
];

export const RACE_SYNONYMS: Vocabulary<RaceName> = [
  // half-elf before elf: the longer phrase is consumed first
  [
    'half-elf',
    ['half-elf', 'half-elves', 'half-elven', 'half elf', 'half elves', 'half elven', 'halfelf'],
  ],
  ['human', ['human', 'humans']],
  ['dwarf', ['dwarf', 'dwarves', 'dwarfs', 'dwarven', 'dwarvish']],
  ['elf', ['elf', 'elves', 'elven', 'elvish']],
  ['gnome', ['gnome', 'gnomes', 'gnomish']],
  ['halfling', ['halfling', 'halflings', 'hobbit', 'hobbits']],
];

const ALIGNMENT_ABBREVIATIONS: Vocabulary<Alignment> = [
  ['lawful good', ['LG']],
  ['neutral good', ['NG']],
  ['chaotic good', ['CG']],
  ['lawful neutral', ['LN']],
  ['true neutral', ['TN']],
  ['chaotic neutral', ['CN']],
  ['lawful evil', ['LE']],
  ['neutral evil', ['NE']],
  ['chaotic evil', ['CE']],
];

export const GENDER_SYNONYMS: Vocabulary<Gender> = [
  [
    'female',
    ['female', 'woman', 'women', 'girl', 'lady', 'dame', 'priestess', 'sorceress', 'enchantress'],
  ],
  ['male', ['male', 'man', 'men', 'boy', 'gentleman', 'lord', 'sir']],
];

export const SIZE_SYNONYMS: Vocabulary<DungeonSize> = [
  ['small', ['small', 'tiny', 'little', 'mini', 'short']],
  ['medium', ['medium', 'medium-sized', 'mid-sized', 'average', 'moderate']],
  ['large', ['large', 'big', 'huge', 'sprawling', 'vast', 'massive']],
];

/** Dungeon themes of the generator (rules-data/dungeon.yaml, themes). */
export const THEME_SYNONYMS: Vocabulary<string> = [
  [
    'crypt',
    ['crypt', 'crypts', 'tomb', 'tombs', 'catacomb', 'catacombs', 'mausoleum', 'barrow', 'barrows'],
  ],
  ['warren', ['warren', 'warrens', 'lair', 'lairs', 'hideout', 'den']],
  ['cavern', ['cavern', 'caverns', 'cave', 'caves', 'grotto']],
  ['ruins', ['ruins', 'ruin', 'ruined keep', 'ruined castle']],
];

/** PHB Table 60 categories and the words players use for them. */
export const SAVE_SYNONYMS: Vocabulary<SaveCategory> = [
  [
    'paralyzation',
    ['paralyzation', 'paralysation', 'paralysis', 'poison', 'death magic', 'death', 'ppd'],
  ],
  ['rod', ['rod', 'rods', 'staff', 'staves', 'wand', 'wands', 'rod staff or wand', 'rsw']],
  ['petrification', ['petrification', 'petrify', 'polymorph', 'turn to stone', 'turned to stone']],
  ['breath', ['breath weapon', 'breath weapons', 'dragon breath', 'breath']],
  ['spell', ['spell', 'spells', 'magic']],
];

export const ENTITY_TYPE_SYNONYMS: Vocabulary<EntityType> = [
  [
    'npc',
    [
      'npc',
      'npcs',
      'non-player character',
      'non-player characters',
      'nonplayer character',
      'nonplayer characters',
    ],
  ],
  ['pc', ['pc', 'pcs', 'player character', 'player characters', 'party member', 'party members']],
  [
    'faction',
    [
      'faction',
      'factions',
      'guild',
      'guilds',
      'organisation',
      'organisations',
      'organization',
      'organizations',
      'cult',
      'cults',
    ],
  ],
  [
    'location',
    [
      'location',
      'locations',
      'place',
      'places',
      'town',
      'towns',
      'city',
      'cities',
      'village',
      'villages',
    ],
  ],
  ['dungeon', ['dungeon', 'dungeons']],
  ['room', ['room', 'rooms']],
  [
    'item',
    [
      'item',
      'items',
      'magic item',
      'magic items',
      'artifact',
      'artifacts',
      'artefact',
      'artefacts',
    ],
  ],
  ['note', ['note', 'notes']],
];

const CARDINALS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const ORDINALS = [
  'zeroth',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
];
const NUMBER_PHRASES: readonly (readonly [string, number])[] = [
  ['a dozen', 12],
  ['a couple of', 2],
  ['a pair of', 2],
  ['a couple', 2],
  ['a pair', 2],
  ['a single', 1],
];

// ---------------------------------------------------------------------------
// Pattern helpers

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[- ]/g, '[- ]?');
/** An alternation of phrases, longest first, so "half elf" wins over "elf". */
const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
const vocabularyWords = <T>(v: Vocabulary<T>) => v.flatMap(([, words]) => words);
function lookup<T>(v: Vocabulary<T>, word: string): T | undefined {
  const w = word.toLowerCase().replace(/[- ]+/g, ' ');
  for (const [value, words] of v)
    if (words.some((s) => s.toLowerCase().replace(/[- ]+/g, ' ') === w)) return value;
  // spelled without the hyphen or space ("halfelf", "magicuser")
  const squashed = w.replace(/ /g, '');
  for (const [value, words] of v)
    if (words.some((s) => s.toLowerCase().replace(/[- ]+/g, '') === squashed)) return value;
  return undefined;
}

const NUMBER_WORD = `\\d{1,3}|${CARDINALS.join('|')}`;
const ORDINAL_WORD = ORDINALS.join('|');
function parseNumber(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  const c = CARDINALS.indexOf(t);
  if (c >= 0) return c;
  const o = ORDINALS.indexOf(t);
  if (o >= 0) return o;
  const phrase = NUMBER_PHRASES.find(([p]) => p === t);
  return phrase?.[1];
}

/** "level 7", "level-7", "lvl 7", "7th level", "7th-level", "seventh-level", "level seven". */
const LEVEL_EXPRESSIONS = [
  `level[- ]?(${NUMBER_WORD})\\b`,
  `lvl\\.?[- ]?(\\d{1,2})\\b`,
  `(\\d{1,2})(?:st|nd|rd|th)[- ]?(?:level|lvl)\\b`,
  `(\\d{1,2})-(?:level|lvl)\\b`,
  `(${ORDINAL_WORD})[- ](?:level|lvl)\\b`,
];
const LEVEL_EXPRESSION = `(?:${LEVEL_EXPRESSIONS.join('|')})`;
const firstGroup = (m: RegExpExecArray) => m.slice(1).find((g) => g !== undefined) ?? '';

// ---------------------------------------------------------------------------
// Slot rules: applied in order to the text; each match fills one slot (unless already
// filled) and blanks the span it consumed.

interface SlotRule {
  id: string;
  slot: SlotName | 'dungeon_level';
  pattern: RegExp;
  /** the slot value from the match; undefined rejects the match */
  value: (m: RegExpExecArray) => Slots[SlotName] | undefined;
  /** leave the matched text for later rules ("priestess" is a class and a gender) */
  keep?: boolean;
}

const PARTY_WORDS = '(?:party|group|adventurers|characters|pcs|players|heroes)';
const DUNGEON_WORDS = `(?:dungeon|${alternation(vocabularyWords(THEME_SYNONYMS))})`;
const COUNTABLE_NOUNS = alternation([
  'npcs',
  'characters',
  'people',
  'persons',
  'villagers',
  'guards',
  'bandits',
  'henchmen',
  'hirelings',
  'adventurers',
  ...vocabularyWords(CLASS_SYNONYMS).filter((w) => w.endsWith('s')),
  ...vocabularyWords(RACE_SYNONYMS).filter((w) => w.endsWith('s')),
]);
const NAME_WORD = "[A-Z\\p{Lu}][\\p{L}'’-]*";
const NAME_PARTICLE = '(?:of|the|de|du|van|von|da|al|el|ibn|mac|la|le)';

function diceNotation(m: RegExpExecArray): string | undefined {
  const g = m.groups ?? {};
  const count = g.count ? parseNumber(g.count) : undefined;
  const sides = g.sides === '%' || g.pct ? '%' : g.sides ? parseNumber(g.sides) : undefined;
  if (!sides) return undefined;
  let keep = '';
  if (g.suffix) {
    const n = g.suffix.slice(2);
    keep = `${g.suffix.slice(0, 2).toLowerCase()}${n === '' ? 1 : Number(n)}`;
  } else if (g.mode) {
    const n = g.n ? (parseNumber(g.n) ?? 1) : 1;
    const mode = g.mode.toLowerCase();
    const highest = /highest|best|top/.test(g.which ?? '');
    keep = mode.startsWith('drop')
      ? highest
        ? `dh${n}`
        : `dl${n}`
      : highest
        ? `kh${n}`
        : `kl${n}`;
  }
  let modifier = '';
  if (g.sign && g.mod) {
    const value = parseNumber(g.mod);
    if (value !== undefined) modifier = `${/^(\+|plus)/.test(g.sign) ? '+' : '-'}${value}`;
  }
  return `${count === undefined ? '' : count}d${sides}${keep}${modifier}`;
}

const KEEP_DROP =
  '(?:,? ?(?<mode>drop(?:ping)?|keep(?:ing)?) (?:the )?(?:(?<n>\\d{1,2}|one|two|three|four|five) )?(?<which>lowest|highest|best|worst|top|bottom|low|high)(?: (?<n2>\\d{1,2}))?(?: (?:dice|die|rolls?|ones?))?)?';
const MODIFIER = '(?: ?(?<sign>\\+|-|plus|minus) ?(?<mod>\\d{1,4}))?';

export const SLOT_RULES: readonly SlotRule[] = [
  // dice first: "4d6" must not be read as a count or a level
  {
    id: 'notation.dice',
    slot: 'notation',
    pattern: new RegExp(
      `(?<![\\w])(?<count>\\d{1,3})?d(?<sides>\\d{1,4}|%)(?<suffix>(?:kh|kl|dh|dl)\\d{0,2})?(?![\\w])${MODIFIER}${KEEP_DROP}`,
      'i',
    ),
    value: (m) => {
      if (m.groups?.n2 && !m.groups.n) m.groups.n = m.groups.n2;
      return diceNotation(m);
    },
  },
  {
    id: 'notation.words',
    slot: 'notation',
    pattern: new RegExp(
      `\\b(?<count>${NUMBER_WORD}|an?) (?<sides>${NUMBER_WORD})[- ]sided (?:dice|die)\\b${MODIFIER}${KEEP_DROP}`,
      'i',
    ),
    value: (m) => {
      if (m.groups && /^an?$/i.test(m.groups.count ?? '')) m.groups.count = '1';
      return diceNotation(m);
    },
  },
  {
    id: 'notation.percentile',
    slot: 'notation',
    pattern: /\b(?<pct>percentile|percent)(?: dice| die| roll)?\b/i,
    value: () => 'd%',
  },
  {
    id: 'seed',
    slot: 'seed',
    pattern: /\b(?:with |using )?(?:the )?seed[ =:#]?(\d{1,10})\b/i,
    value: (m) => {
      const n = Number(m[1]);
      return n <= 0xffff_ffff ? n : undefined;
    },
  },
  // names before classes: "named Red Wizard" keeps its words
  {
    id: 'name.quoted',
    slot: 'name',
    pattern: /\b(?:named|called|name(?:d)? is)\s+["“'‘]([^"”'’]{1,64})["”'’]/i,
    value: (m) => m[1]?.trim(),
  },
  {
    id: 'name.capitalised',
    slot: 'name',
    pattern: new RegExp(
      `\\b(?:[Nn]amed|[Cc]alled|[Nn]ame is)\\s+(${NAME_WORD}(?:\\s+(?:${NAME_PARTICLE}\\s+){0,2}${NAME_WORD}){0,3})`,
      'u',
    ),
    value: (m) => m[1],
  },
  {
    id: 'name.word',
    slot: 'name',
    pattern: /\b(?:named|called|name is)\s+([\p{L}][\p{L}'’-]{0,63})/iu,
    value: (m) => m[1],
  },
  {
    id: 'party_level.for-a-party',
    slot: 'party_level',
    pattern: new RegExp(
      `\\b(?:for|with|against) (?:an? |my |the |our |a party of |party of )?${LEVEL_EXPRESSION} ${PARTY_WORDS}\\b`,
      'i',
    ),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'party_level.party-of',
    slot: 'party_level',
    pattern: new RegExp(
      `\\b(?:for |with )?(?:an? |the |my )?party of (?:\\w+ )?(?:${LEVEL_EXPRESSION}|(\\d{1,2})(?:st|nd|rd|th)?[- ]level) ?(?:characters|adventurers|pcs|heroes)?`,
      'i',
    ),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'party_level.apl',
    slot: 'party_level',
    pattern: /\b(?:average )?party level[ :]?(\d{1,2})\b|\bapl[ :]?(\d{1,2})\b/i,
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'dungeon_level.dungeon-level',
    slot: 'dungeon_level',
    pattern: new RegExp(`\\b${DUNGEON_WORDS},? level[- ]?(${NUMBER_WORD})\\b`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'dungeon_level.level-dungeon',
    slot: 'dungeon_level',
    pattern: new RegExp(`${LEVEL_EXPRESSION}(?= (?:[a-z-]+ )?${DUNGEON_WORDS}\\b)`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'rooms',
    slot: 'rooms',
    pattern: new RegExp(`\\b(${NUMBER_WORD})[- ]rooms?\\b`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'count',
    slot: 'count',
    // the number only; "3rd level" and "3-level" are levels, not counts
    pattern: new RegExp(
      `(?<!\\b(?:level|lvl\\.?)[- ]?)\\b(${NUMBER_WORD}|${NUMBER_PHRASES.map(([p]) => p).join('|')})(?!(?:st|nd|rd|th)\\b|-level)(?= (?:[\\w-]+ ){0,4}?(?:${COUNTABLE_NOUNS})\\b)`,
      'i',
    ),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'level',
    slot: 'level',
    pattern: new RegExp(`\\b${LEVEL_EXPRESSION}`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'gender',
    slot: 'gender',
    keep: true,
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(GENDER_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(GENDER_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'class',
    slot: 'class',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(CLASS_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(CLASS_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'race',
    slot: 'race',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(RACE_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(RACE_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'alignment.words',
    slot: 'alignment',
    pattern: /\b(lawful|neutral|chaotic)[- ](good|neutral|evil)\b/i,
    value: (m) => {
      const [, a, b] = m.map((s) => s?.toLowerCase());
      return (a === 'neutral' && b === 'neutral' ? 'true neutral' : `${a} ${b}`) as Alignment;
    },
  },
  {
    id: 'alignment.true-neutral',
    slot: 'alignment',
    pattern: /\b(?:true|pure|strict) neutral\b/i,
    value: () => 'true neutral',
  },
  {
    id: 'alignment.abbreviation',
    slot: 'alignment',
    pattern: new RegExp(`\\b(${vocabularyWords(ALIGNMENT_ABBREVIATIONS).join('|')})\\b`),
    value: (m) => lookup(ALIGNMENT_ABBREVIATIONS, m[1] ?? ''),
  },
  {
    id: 'save.versus',
    slot: 'save',
    pattern: new RegExp(
      `\\b(?:vs\\.?|versus|against) (?:an? |the )?(${alternation(vocabularyWords(SAVE_SYNONYMS))})\\b`,
      'i',
    ),
    value: (m) => lookup(SAVE_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'save.category',
    slot: 'save',
    pattern: new RegExp(
      `\\b(${alternation(vocabularyWords(SAVE_SYNONYMS))})(?= sav(?:e|es|ing throws?)\\b)`,
      'i',
    ),
    value: (m) => lookup(SAVE_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'size',
    slot: 'size',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(SIZE_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(SIZE_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'theme',
    slot: 'theme',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(THEME_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(THEME_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'type',
    slot: 'type',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(ENTITY_TYPE_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(ENTITY_TYPE_SYNONYMS, m[1] ?? ''),
  },
];

interface Extraction {
  slots: Slots & { dungeon_level?: number };
  /** slot → id of the rule that filled it */
  rules: Partial<Record<SlotName | 'dungeon_level', string>>;
  /** the text with every consumed span blanked, same length as the input */
  rest: string;
  /** the normalised text */
  text: string;
  /** slot → [start, end) of the text its rule matched */
  spans: Partial<Record<SlotName | 'dungeon_level', readonly [number, number]>>;
}

const blank = (s: string, from: number, to: number) =>
  s.slice(0, from) + ' '.repeat(to - from) + s.slice(to);

function extractSlots(text: string): Extraction {
  let rest = text;
  const slots: Record<string, unknown> = {};
  const rules: Record<string, string> = {};
  const spans: Record<string, readonly [number, number]> = {};
  for (const rule of SLOT_RULES) {
    if (slots[rule.slot] !== undefined) continue;
    const m = rule.pattern.exec(rest);
    if (!m) continue;
    const value = rule.value(m);
    if (value === undefined) continue;
    slots[rule.slot] = value;
    rules[rule.slot] = rule.id;
    spans[rule.slot] = [m.index, m.index + m[0].length];
    if (!rule.keep) rest = blank(rest, m.index, m.index + m[0].length);
  }
  return { slots: slots as Extraction['slots'], rules, rest, text, spans };
}

// ---------------------------------------------------------------------------
// Intents

interface Cue {
  id: string;
  /** matched against the lower-case text; a function sees the extracted slots */
  test: RegExp | ((x: Extraction) => boolean);
  weight: number;
}

interface IntentDefinition {
  intent: IntentName;
  /** at least one anchor must match, or the intent scores 0 */
  anchors: readonly Cue[];
  /** extra evidence */
  cues?: readonly Cue[];
  /** evidence for another intent: subtracted */
  against?: readonly Cue[];
  /** slots this intent reads, each adding SLOT_WEIGHT when present */
  slots: readonly SlotName[];
  /** slots it cannot do without */
  required?: readonly SlotName[];
  /** derive intent-specific slots (query, ref, dungeon level) from the extraction */
  finish?: (x: Extraction, slots: Slots) => void;
}

const SLOT_WEIGHT = 0.05;

const CREATE_VERB =
  /\b(create|make|generate|build|roll up|design|give me|i need|need|new|stat(?: out| up)?)\b/;
const SEARCH_VERB =
  /\b(find|search(?: for)?|look(?:ing)? (?:for|up)|lookup|list|show me (?:all|every|the)|which|are there any)\b/;
const SHOW_VERB =
  /^(?:please )?(show|display|open|describe|tell me about|who is|who's|what do we know about|details (?:of|for|on)|info (?:on|about))\b/;
const RULES_WORDS = /\b(thac0|thaco|sav(?:e|es|ing throws?)|roll|dice|d\d+)\b/;
const STOPWORDS = new Set([
  'the',
  'a',
  'an',
  'all',
  'any',
  'every',
  'some',
  'me',
  'for',
  'of',
  'named',
  'called',
  'in',
  'campaign',
  'please',
  'our',
  'my',
  'with',
  'is',
  'are',
  'that',
  'who',
  'about',
]);

/**
 * The words after `verb`, without the entity type and filler words: "search for the Red
 * Hand faction" → "Red Hand". Other slots stay: "find level 7 wizards" searches for them.
 */
function remainderAfter(verb: RegExp, x: Extraction): string | undefined {
  let text = x.text;
  for (const slot of ['type', 'seed'] as const) {
    const span = x.spans[slot];
    if (span) text = blank(text, span[0], span[1]);
  }
  const m = verb.exec(text.toLowerCase());
  const start = m ? m.index + m[0].length : 0;
  const words = text
    .slice(start)
    .replace(/[?!.,;:]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  while (words.length > 0 && STOPWORDS.has(words[0]!.toLowerCase())) words.shift();
  while (words.length > 0 && STOPWORDS.has(words[words.length - 1]!.toLowerCase())) words.pop();
  const r = words.join(' ').replace(/^["“'‘]|["”'’]$/g, '');
  return r === '' ? undefined : r.slice(0, 255);
}

export const INTENTS: readonly IntentDefinition[] = [
  {
    intent: 'npc.create',
    anchors: [
      {
        id: 'npc.noun',
        test: /\b(npcs?|non-?player characters?|characters?|henchm[ae]n|hirelings?|villains?|shopkeepers?|innkeepers?|guards?|bandits?)\b/,
        weight: 0.4,
      },
      { id: 'npc.class-noun', test: (x) => x.slots.class !== undefined, weight: 0.3 },
      { id: 'npc.race-noun', test: (x) => x.slots.race !== undefined, weight: 0.2 },
    ],
    cues: [{ id: 'npc.create-verb', test: CREATE_VERB, weight: 0.3 }],
    against: [
      { id: 'npc.not-rules', test: /\b(thac0|thaco|sav(?:e|es|ing throws?))\b/, weight: 0.6 },
      { id: 'npc.not-dice', test: (x) => x.slots.notation !== undefined, weight: 0.6 },
      { id: 'npc.not-search', test: SEARCH_VERB, weight: 0.5 },
      { id: 'npc.not-show', test: SHOW_VERB, weight: 0.4 },
      {
        id: 'npc.not-dungeon',
        test: (x) =>
          /\bdungeons?\b/i.test(x.text) ||
          x.slots.theme !== undefined ||
          x.slots.rooms !== undefined,
        weight: 0.5,
      },
    ],
    slots: ['class', 'level', 'race', 'alignment', 'name', 'gender', 'count', 'seed'],
  },
  {
    intent: 'rules.thac0',
    anchors: [
      {
        id: 'thac0.word',
        test: /\b(thac0|thaco|thac 0|to[- ]hit (?:armou?r class|ac) ?0)\b/,
        weight: 0.7,
      },
    ],
    cues: [
      { id: 'thac0.question', test: /^(what|whats|what's|how|tell me|give me)\b/, weight: 0.05 },
    ],
    slots: ['class', 'level'],
    required: ['class', 'level'],
  },
  {
    intent: 'rules.save',
    anchors: [
      { id: 'save.saving-throw', test: /\bsaving[- ]throws?\b/, weight: 0.6 },
      { id: 'save.save-vs', test: /\bsav(?:e|es) (?:vs\.?|versus|against|for|of)\b/, weight: 0.6 },
      { id: 'save.saves', test: /\bsaves\b/, weight: 0.4 },
      { id: 'save.category-save', test: (x) => x.rules.save === 'save.category', weight: 0.5 },
    ],
    cues: [{ id: 'save.versus', test: /\b(vs\.?|versus|against)\b/, weight: 0.1 }],
    slots: ['class', 'level', 'save'],
    required: ['class', 'level'],
  },
  {
    intent: 'dice.roll',
    anchors: [
      { id: 'roll.notation', test: (x) => x.slots.notation !== undefined, weight: 0.6 },
      { id: 'roll.dice-word', test: /\b(dice|die)\b/, weight: 0.3 },
    ],
    cues: [{ id: 'roll.verb', test: /\b(roll|rolls|throw|toss)\b/, weight: 0.35 }],
    against: [{ id: 'roll.not-thac0', test: /\b(thac0|thaco|saving throw)\b/, weight: 0.5 }],
    slots: ['notation', 'seed'],
    required: ['notation'],
  },
  {
    intent: 'dungeon.generate',
    anchors: [
      { id: 'dungeon.noun', test: /\bdungeons?\b/, weight: 0.5 },
      { id: 'dungeon.theme-noun', test: (x) => x.slots.theme !== undefined, weight: 0.35 },
    ],
    cues: [
      {
        id: 'dungeon.create-verb',
        test: /\b(generate|create|make|build|design|draw|map|stock|roll up|give me|new)\b/,
        weight: 0.3,
      },
      { id: 'dungeon.party', test: (x) => x.slots.party_level !== undefined, weight: 0.1 },
    ],
    against: [
      { id: 'dungeon.not-search', test: SEARCH_VERB, weight: 0.5 },
      { id: 'dungeon.not-show', test: SHOW_VERB, weight: 0.4 },
    ],
    slots: ['size', 'rooms', 'level', 'party_level', 'theme', 'seed'],
    finish: (x, slots) => {
      // "dungeon level 2" is the dungeon's level; a bare "level 3" too, unless it was the party's
      const level = x.slots.dungeon_level ?? x.slots.level;
      if (level === undefined) delete slots.level;
      else slots.level = level;
    },
  },
  {
    intent: 'entity.search',
    anchors: [{ id: 'search.verb', test: SEARCH_VERB, weight: 0.55 }],
    cues: [
      { id: 'search.type', test: (x) => x.slots.type !== undefined, weight: 0.2 },
      {
        id: 'search.campaign',
        test: /\b(campaign|stored|saved|we have|do we have)\b/,
        weight: 0.1,
      },
    ],
    against: [{ id: 'search.not-rules', test: /\b(thac0|thaco|saving throws?)\b/, weight: 0.5 }],
    slots: ['type', 'query'],
    required: ['query'],
    finish: (x, slots) => {
      const query = x.slots.name ?? remainderAfter(SEARCH_VERB, x);
      if (query !== undefined) slots.query = query;
    },
  },
  {
    intent: 'entity.show',
    anchors: [{ id: 'show.verb', test: SHOW_VERB, weight: 0.6 }],
    cues: [{ id: 'show.type', test: (x) => x.slots.type !== undefined, weight: 0.1 }],
    against: [
      { id: 'show.not-rules', test: RULES_WORDS, weight: 0.5 },
      { id: 'show.not-list', test: /^(?:please )?show me (?:all|every|the)\b/, weight: 0.5 },
    ],
    slots: ['type', 'ref'],
    required: ['ref'],
    finish: (x, slots) => {
      const ref = x.slots.name ?? remainderAfter(SHOW_VERB, x);
      if (ref !== undefined) slots.ref = ref;
    },
  },
];

// ---------------------------------------------------------------------------
// Classification

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
  return {
    intent: def.intent,
    score: anchored ? Math.max(0, Math.min(1, total)) : 0,
    slots,
    rules,
    missing: (def.required ?? []).filter((s) => slots[s] === undefined),
  };
}

function classifyUncached(text: string): IntentResult {
  const x = extractSlots(text);
  const lower = text.toLowerCase();
  const ranked = INTENTS.map((d) => score(d, lower, x))
    .filter((s) => s.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        INTENTS.findIndex((d) => d.intent === a.intent) -
          INTENTS.findIndex((d) => d.intent === b.intent),
    );
  const [best, second] = ranked;
  if (!best)
    return {
      intent: 'unknown',
      confidence: 0,
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
    slots: best.slots,
    missing: best.missing,
    matched_rules:
      margin < AMBIGUITY_MARGIN ? [...best.rules, `ambiguous:${second?.intent}`] : best.rules,
    alternatives: ranked.slice(1).map((s) => ({ intent: s.intent, confidence: round2(s.score) })),
  };
}

/** A least-recently-used cache: a Map keeps insertion order, so re-inserting refreshes. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new UsageError('cache capacity must be a positive integer');
  }
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  get size(): number {
    return this.map.size;
  }
}

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
      const result = classifyUncached(key);
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
