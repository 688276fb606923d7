/**
 * Slot extraction: rules applied in order to the text; each match fills one slot (unless
 * already filled) and blanks the span it consumed, so later rules do not read it twice.
 * "4d6" is dice before it can be a count, "AC 4" an armour class before it can be a level.
 */
import { allMonsters } from '../../rules/monsters.ts';
import type {
  Alignment,
  ClassName,
  DungeonSize,
  EntityType,
  Gender,
  RaceName,
  SaveCategory,
} from '../../contracts/bus/vocabulary.ts';
import {
  ABILITY_SYNONYMS,
  ALIGNMENT_ABBREVIATIONS,
  CLASS_SYNONYMS,
  ENTITY_TYPE_SYNONYMS,
  GENDER_SYNONYMS,
  LEVEL_EXPRESSION,
  NON_PHB_RACE_SYNONYMS,
  NUMBER_PHRASES,
  NUMBER_WORD,
  RACE_SYNONYMS,
  SAVE_SYNONYMS,
  SIZE_SYNONYMS,
  THEME_SYNONYMS,
  UNDEAD_SYNONYMS,
  alternation,
  firstGroup,
  lookup,
  parseNumber,
  pluralsOf,
  vocabularyWords,
} from './vocabulary.ts';

/** Everything a request can carry; each intent reads the slots it uses. */
export interface Slots {
  class?: ClassName;
  level?: number;
  race?: RaceName;
  /** a people the PHB does not offer as a race (orc, goblin…): npc.create refuses it */
  other_race?: string;
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
  /** the target's armour class (to-hit) */
  ac?: number;
  /** an experience point total (xp) */
  xp?: number;
  /** a PHB Table 61 row (turn) */
  undead?: string;
  /** str, dex, con, int, wis or cha, and its score ("18/76") */
  ability?: string;
  score?: string;
  /** Dexterity (thief skills) and Wisdom (priest bonus spells), from ability + score */
  dex?: number;
  wis?: number;
  /** Strength for a melee attack ("18/76") */
  str?: string;
  /** Constitution (the racial save bonus) */
  con?: number;
  /** "poison" when the save was asked for as poison */
  save_word?: string;
  /** a monster's name (its catalogue entry) */
  monster?: string;
}
export type SlotName = keyof Slots;

// ---------------------------------------------------------------------------
// Slot rules: applied in order to the text; each match fills one slot (unless already
// filled) and blanks the span it consumed.

/** What a slot rule matches with: a RegExp, or anything with its exec(). */
export interface Matcher {
  exec(text: string): RegExpExecArray | null;
}

export interface SlotRule {
  id: string;
  slot: SlotName | 'dungeon_level';
  pattern: Matcher;
  /** the slot value from the match; undefined rejects the match */
  value: (m: RegExpExecArray) => Slots[SlotName] | undefined;
  /** leave the matched text for later rules ("priestess" is a class and a gender) */
  keep?: boolean;
  /**
   * Words the pattern cannot match without (one of them, in the lower-cased request): a
   * request that has none skips the rule. A pattern compiles on its first run, and the
   * compiles were a third of a one-shot `dma ask`; most requests name no dice, party or save.
   */
  gate?: readonly string[];
}

/** Monster names of the catalogue, singular and plural, longest first. */
/** Monster names and aliases of the catalogue (src/rules/monsters.ts), singular and plural. */
const MONSTER_SYNONYMS: readonly (readonly [string, readonly string[]])[] = allMonsters().map(
  (m) => [m.name, [m.name, ...(m.aliases ?? [])].flatMap(pluralsOf)] as const,
);

/**
 * A vocabulary of a hundred names or more as a word index instead of one alternation
 * regex: compiling that regex cost `dma ask` more than the rest of the classifier.
 * Finds the leftmost phrase, longest first at a position; `m[1]` is the phrase as written.
 */
function phraseMatcher(words: readonly string[]): Matcher {
  const key = (s: string) => s.toLowerCase().replace(/[- ]+/g, ' ');
  const phrases = new Set(words.map(key));
  const longest = Math.max(...words.map((w) => key(w).split(' ').length));
  return {
    exec(text) {
      const tokens = [...text.matchAll(/[\p{L}\p{N}']+/gu)];
      for (let i = 0; i < tokens.length; i++)
        for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
          const first = tokens[i]!;
          const last = tokens[i + n - 1]!;
          const end = last.index + last[0].length;
          const written = text.slice(first.index, end);
          if (!/^[\p{L}\p{N}' -]+$/u.test(written) || !phrases.has(key(written))) continue;
          return Object.assign([written, written], {
            index: first.index,
            input: text,
            groups: undefined,
          }) as RegExpExecArray;
        }
      return null;
    },
  };
}
const ABILITY_WORDS = alternation(vocabularyWords(ABILITY_SYNONYMS));
const SCORE = '(\\d{1,2}(?:/(?:\\d{2}|00))?)';
/** "18/76 strength", "strength 18/76", "a Dexterity of 17", "dex=17", "wis: 16" */
const ABILITY_SCORE = new RegExp(
  `\\b(?:(?<a1>${ABILITY_WORDS})(?: score)?(?: of| =|=|:| is)? ?${SCORE.replace('(', '(?<s1>')}(?![\\d/])|${SCORE.replace('(', '(?<s2>')} (?<a2>${ABILITY_WORDS})\\b)`,
  'i',
);
const abilityOf = (m: RegExpExecArray) => m.groups?.a1 ?? m.groups?.a2;
const scoreOf = (m: RegExpExecArray) => m.groups?.s1 ?? m.groups?.s2;

/** Every one of LEVEL_EXPRESSIONS has one of these. */
const LEVEL_WORDS = ['level', 'lvl'];
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
const NAME_WORD = "[A-Z\\p{Lu}][\\p{L}\\p{N}'’-]*";
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
    gate: [...'0123456789%'].map((c) => `d${c}`),
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
    gate: ['sided'],
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
    gate: ['percent'],
    slot: 'notation',
    pattern: /\b(?<pct>percentile|percent)(?: dice| die| roll)?\b/i,
    value: () => 'd%',
  },
  {
    // PHB chapter 9: initiative is rolled on 1d10
    id: 'notation.initiative',
    gate: ['initiative'],
    slot: 'notation',
    pattern: /\b(?:roll(?:ing)?|throw) (?:for )?initiative\b/i,
    value: () => '1d10',
  },
  {
    id: 'seed',
    gate: ['seed'],
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
    gate: ['name', 'called'],
    slot: 'name',
    pattern: /\b(?:named|called|name(?:d)? is)\s+["“'‘]([^"”'’]{1,64})["”'’]/i,
    value: (m) => m[1]?.trim(),
  },
  {
    id: 'name.capitalised',
    gate: ['name', 'called'],
    slot: 'name',
    pattern: new RegExp(
      `\\b(?:[Nn]amed|[Cc]alled|[Nn]ame is)\\s+(${NAME_WORD}(?:\\s+(?:${NAME_PARTICLE}\\s+){0,2}${NAME_WORD}){0,3})`,
      'u',
    ),
    value: (m) => m[1],
  },
  {
    id: 'name.word',
    gate: ['name', 'called'],
    slot: 'name',
    pattern: /\b(?:named|called|name is)\s+([\p{L}][\p{L}\p{N}'’-]{0,63})/iu,
    value: (m) => m[1],
  },
  {
    id: 'xp.amount',
    gate: ['xp', 'exp', 'x.p.', 'e.x.p.'],
    slot: 'xp',
    pattern:
      /\b(\d{1,3}(?:,\d{3})+|\d{1,9}|\d{1,6}k)(?: ?(?:xp|exp|e\.x\.p\.|experience(?: points)?|x\.p\.))(?![\w])/i,
    value: (m) => {
      // not "paladin 4 xp": a number right after a class is its level
      const before = /([\p{L}-]+),? $/u.exec(m.input.slice(0, m.index));
      if (before && lookup(CLASS_SYNONYMS, before[1] ?? '') !== undefined) return undefined;
      const t = (m[1] ?? '').toLowerCase().replace(/,/g, '');
      return t.endsWith('k') ? Number(t.slice(0, -1)) * 1000 : Number(t);
    },
  },
  {
    id: 'ac',
    gate: ['ac', 'a.c.', 'armor class', 'armour class'],
    slot: 'ac',
    pattern: /\b(?:ac|a\.c\.|armou?r class)(?: of| =|=|:)? ?(-?\d{1,2})\b/i,
    value: (m) => {
      const n = Number(m[1]);
      return n >= -10 && n <= 10 ? n : undefined;
    },
  },
  {
    id: 'ability.name',
    slot: 'ability',
    keep: true,
    pattern: ABILITY_SCORE,
    value: (m) => lookup(ABILITY_SYNONYMS, abilityOf(m) ?? ''),
  },
  {
    id: 'ability.score',
    slot: 'score',
    pattern: ABILITY_SCORE,
    value: (m) => scoreOf(m),
  },
  {
    id: 'party_level.for-a-party',
    gate: ['party', 'group', 'adventurers', 'characters', 'pcs', 'players', 'heroes'],
    slot: 'party_level',
    pattern: new RegExp(
      `\\b(?:for|with|against) (?:an? |my |the |our |a party of |party of )?${LEVEL_EXPRESSION} ${PARTY_WORDS}\\b`,
      'i',
    ),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'party_level.party-of',
    gate: ['party of'],
    slot: 'party_level',
    pattern: new RegExp(
      `\\b(?:for |with )?(?:an? |the |my )?party of (?:\\w+ )?(?:${LEVEL_EXPRESSION}|(\\d{1,2})(?:st|nd|rd|th)?[- ]level) ?(?:characters|adventurers|pcs|heroes)?`,
      'i',
    ),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'party_level.apl',
    gate: ['party level', 'apl'],
    slot: 'party_level',
    pattern: /\b(?:average )?party level[ :]?(\d{1,2})\b|\bapl[ :]?(\d{1,2})\b/i,
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'dungeon_level.dungeon-level',
    gate: ['level'],
    slot: 'dungeon_level',
    pattern: new RegExp(`\\b${DUNGEON_WORDS},? level[- ]?(${NUMBER_WORD})\\b`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'dungeon_level.level-dungeon',
    gate: LEVEL_WORDS,
    slot: 'dungeon_level',
    pattern: new RegExp(`${LEVEL_EXPRESSION}(?= (?:[a-z-]+ )?${DUNGEON_WORDS}\\b)`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    id: 'rooms',
    gate: ['room'],
    slot: 'rooms',
    pattern: new RegExp(`\\b(${NUMBER_WORD})[- ]rooms?\\b`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    // "save for a cleric 7", "fighter 5 thac0": a number right after the class is its level
    id: 'level.after-class',
    slot: 'level',
    // the word before is checked against the classes in value(): a lookbehind over the
    // whole class alternation cost more to compile than the rest of the classifier
    pattern:
      /(?<=\b([\p{L}-]+),? (?:level |lvl\.? ?)?)(\d{1,2})\b(?!(?:st|nd|rd|th)\b| ?(?:d\d|rooms?))/iu,
    value: (m) =>
      lookup(CLASS_SYNONYMS, m[1] ?? '') === undefined ? undefined : parseNumber(m[2] ?? ''),
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
    gate: LEVEL_WORDS,
    slot: 'level',
    pattern: new RegExp(`\\b${LEVEL_EXPRESSION}`, 'i'),
    value: (m) => parseNumber(firstGroup(m)),
  },
  {
    // "3 orc NPCs", "an orcish fighter": a people the PHB does not offer as a race
    id: 'other_race',
    slot: 'other_race',
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(NON_PHB_RACE_SYNONYMS))})\\b`, 'i'),
    value: (m) => {
      // only before an NPC or class noun: "3 orc NPCs", "an orcish fighter", not "stats for an orc"
      const after = m.input
        .slice(m.index + m[0].length)
        .toLowerCase()
        .split(/[^\p{L}-]+/u);
      const next = after.filter((w) => w !== '').slice(0, 2);
      const noun = next.some(
        (w) =>
          /^(?:npcs?|characters?|non-player)$/.test(w) || lookup(CLASS_SYNONYMS, w) !== undefined,
      );
      return noun ? lookup(NON_PHB_RACE_SYNONYMS, m[1] ?? '') : undefined;
    },
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
    id: 'undead',
    slot: 'undead',
    keep: true,
    pattern: new RegExp(`\\b(${alternation(vocabularyWords(UNDEAD_SYNONYMS))})\\b`, 'i'),
    value: (m) => lookup(UNDEAD_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'monster',
    slot: 'monster',
    keep: true,
    pattern: phraseMatcher(vocabularyWords(MONSTER_SYNONYMS)),
    value: (m) => lookup(MONSTER_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'alignment.words',
    gate: ['lawful', 'neutral', 'chaotic'],
    slot: 'alignment',
    pattern: /\b(lawful|neutral|chaotic)[- ](good|neutral|evil)\b/i,
    value: (m) => {
      const [, a, b] = m.map((s) => s?.toLowerCase());
      return (a === 'neutral' && b === 'neutral' ? 'true neutral' : `${a} ${b}`) as Alignment;
    },
  },
  {
    id: 'alignment.true-neutral',
    gate: ['neutral'],
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
    // the word as said: "poison" is its own case for a dwarf's bonus (rules.save has five categories)
    id: 'save.word',
    gate: ['poison'],
    slot: 'save_word',
    keep: true,
    pattern: /\b(poison|poisons|poisoned)\b/i,
    value: () => 'poison',
  },
  {
    id: 'save.versus',
    gate: ['vs', 'versus', 'against'],
    slot: 'save',
    pattern: new RegExp(
      `\\b(?:vs\\.?|versus|against) (?:an? |the )?(${alternation(vocabularyWords(SAVE_SYNONYMS))})\\b`,
      'i',
    ),
    value: (m) => lookup(SAVE_SYNONYMS, m[1] ?? ''),
  },
  {
    id: 'save.category',
    gate: ['sav'],
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

export interface Extraction {
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

export const blank = (s: string, from: number, to: number) =>
  s.slice(0, from) + ' '.repeat(to - from) + s.slice(to);

export function extractSlots(text: string): Extraction {
  let rest = text;
  const slots: Record<string, unknown> = {};
  const rules: Record<string, string> = {};
  const spans: Record<string, readonly [number, number]> = {};
  const lower = text.toLowerCase();
  for (const rule of SLOT_RULES) {
    if (slots[rule.slot] !== undefined) continue;
    if (rule.gate && !rule.gate.some((w) => lower.includes(w))) continue;
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
