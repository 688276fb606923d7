/**
 * The classifier's vocabularies: synonym → canonical value, number words, and the pattern
 * helpers built from them. Data only; slots.ts turns them into slot rules.
 */
import type {
  Alignment,
  ClassName,
  DungeonSize,
  EntityType,
  Gender,
  RaceName,
  SaveCategory,
} from '../../contracts/bus/vocabulary.ts';

/** [canonical value, synonyms (lower case, plurals included)] */
export type Vocabulary<T> = readonly (readonly [T, readonly string[]])[];

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

export const ALIGNMENT_ABBREVIATIONS: Vocabulary<Alignment> = [
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

export const CARDINALS = [
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
export const ORDINALS = [
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
export const NUMBER_PHRASES: readonly (readonly [string, number])[] = [
  ['a dozen', 12],
  ['a couple of', 2],
  ['a pair of', 2],
  ['a couple', 2],
  ['a pair', 2],
  ['a single', 1],
];

// ---------------------------------------------------------------------------
// Pattern helpers

export const escape = (s: string) =>
  s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[- ]/g, '[- ]?');
/** An alternation of phrases, longest first, so "half elf" wins over "elf". */
export const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
export const vocabularyWords = <T>(v: Vocabulary<T>) => v.flatMap(([, words]) => words);
export function lookup<T>(v: Vocabulary<T>, word: string): T | undefined {
  const w = word.toLowerCase().replace(/[- ]+/g, ' ');
  for (const [value, words] of v)
    if (words.some((s) => s.toLowerCase().replace(/[- ]+/g, ' ') === w)) return value;
  // spelled without the hyphen or space ("halfelf", "magicuser")
  const squashed = w.replace(/ /g, '');
  for (const [value, words] of v)
    if (words.some((s) => s.toLowerCase().replace(/[- ]+/g, '') === squashed)) return value;
  return undefined;
}

export const NUMBER_WORD = `\\d{1,3}|${CARDINALS.join('|')}`;
export const ORDINAL_WORD = ORDINALS.join('|');
export function parseNumber(s: string): number | undefined {
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
export const LEVEL_EXPRESSIONS = [
  `level[- ]?(${NUMBER_WORD})\\b`,
  `lvl\\.?[- ]?(\\d{1,2})\\b`,
  `(\\d{1,2})(?:st|nd|rd|th)[- ]?(?:level|lvl)\\b`,
  `(\\d{1,2})-(?:level|lvl)\\b`,
  `(${ORDINAL_WORD})[- ](?:level|lvl)\\b`,
];
export const LEVEL_EXPRESSION = `(?:${LEVEL_EXPRESSIONS.join('|')})`;
export const firstGroup = (m: RegExpExecArray) => m.slice(1).find((g) => g !== undefined) ?? '';

// ---------------------------------------------------------------------------
// Rules lookups

/** PHB Table 61's rows (rules-data/turn-undead.yaml keys) and the words for them. */
export const UNDEAD_SYNONYMS: Vocabulary<string> = [
  ['skeleton', ['skeleton', 'skeletons']],
  ['zombie', ['zombie', 'zombies']],
  ['ghoul', ['ghoul', 'ghouls']],
  ['shadow', ['shadow', 'shadows']],
  ['wight', ['wight', 'wights']],
  ['ghast', ['ghast', 'ghasts']],
  ['wraith', ['wraith', 'wraiths']],
  ['mummy', ['mummy', 'mummies']],
  ['spectre', ['spectre', 'spectres', 'specter', 'specters']],
  ['vampire', ['vampire', 'vampires']],
  ['ghost', ['ghost', 'ghosts']],
  ['lich', ['lich', 'liches']],
  ['special', ['special undead', 'special']],
];

/** PHB chapter 1: the six abilities, as `dma ability` names them. */
export const ABILITY_SYNONYMS: Vocabulary<string> = [
  ['str', ['strength', 'str']],
  ['dex', ['dexterity', 'dex']],
  ['con', ['constitution', 'con']],
  ['int', ['intelligence', 'int']],
  ['wis', ['wisdom', 'wis']],
  ['cha', ['charisma', 'cha']],
];

/**
 * Peoples a DM may ask NPCs of that are not PHB player races (PHB chapter 2 has six):
 * the NPC generator cannot build them, so such a request is refused, never filled with
 * random humans. Each maps to the monster entry a DM can look up instead.
 */
export const NON_PHB_RACE_SYNONYMS: Vocabulary<string> = [
  ['half-orc', ['half-orc', 'half-orcs', 'half orc', 'half orcs', 'halforc']],
  ['orc', ['orc', 'orcs', 'orcish']],
  ['goblin', ['goblin', 'goblins']],
  ['hobgoblin', ['hobgoblin', 'hobgoblins']],
  ['kobold', ['kobold', 'kobolds']],
  ['gnoll', ['gnoll', 'gnolls']],
  ['bugbear', ['bugbear', 'bugbears']],
  ['ogre', ['ogre', 'ogres']],
  ['troll', ['troll', 'trolls']],
  ['lizard man', ['lizard man', 'lizard men', 'lizardman', 'lizardmen', 'lizard folk']],
  ['drow', ['drow', 'dark elf', 'dark elves']],
  ['duergar', ['duergar']],
  ['tiefling', ['tiefling', 'tieflings']],
  ['dragonborn', ['dragonborn']],
];

/** English plurals of a creature name ("giant rat" → "giant rats", "lizard man" → "lizard men"). */
export function pluralsOf(name: string): string[] {
  const out = [name];
  if (/man$/.test(name)) out.push(name.replace(/man$/, 'men'));
  else if (/[^aeiou]y$/.test(name)) out.push(name.replace(/y$/, 'ies'));
  else if (/(?:s|x|ch|sh)$/.test(name)) out.push(`${name}es`);
  else if (/f$/.test(name)) out.push(name.replace(/f$/, 'ves'));
  else out.push(`${name}s`);
  return out;
}
