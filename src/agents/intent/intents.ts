/**
 * The intents: each is weighted cues (anchors, extra evidence, evidence against), the slots
 * it reads and the ones it needs. Adding an intent is one entry in INTENTS, one line in
 * INTENT_NAMES and one example phrasing; intent-request.ts maps it onto the bus.
 */
import { blank, type Extraction, type SlotName, type Slots } from './slots.ts';

export const INTENT_NAMES = [
  'npc.create',
  'rules.thac0',
  'rules.save',
  'rules.to-hit',
  'rules.ability',
  'rules.xp',
  'rules.turn',
  'rules.thief-skills',
  'rules.spells',
  'rules.monster',
  'dice.roll',
  'dungeon.generate',
  'entity.search',
  'entity.show',
] as const;
export type IntentName = (typeof INTENT_NAMES)[number];

/** Intents that create entities: they need the highest certainty (ask.ts). */
export const WRITING_INTENTS: readonly IntentName[] = ['npc.create', 'dungeon.generate'];

export const EXAMPLE_PHRASINGS: readonly { intent: IntentName; example: string }[] = [
  { intent: 'npc.create', example: 'Create a level 7 wizard NPC named Elara' },
  { intent: 'npc.create', example: 'Make three lawful good dwarf fighters, 5th level' },
  { intent: 'rules.thac0', example: 'What is the THAC0 of a 5th level fighter?' },
  { intent: 'rules.save', example: 'Saving throw vs spell for a 7th level cleric' },
  { intent: 'rules.to-hit', example: 'What does a 5th level fighter need to hit AC 4?' },
  { intent: 'rules.ability', example: 'What does 18/76 Strength give?' },
  { intent: 'rules.xp', example: 'How many XP does a mage need for 7th level?' },
  { intent: 'rules.turn', example: 'Can a 5th level cleric turn a ghoul?' },
  { intent: 'rules.thief-skills', example: 'Thief skills of a 5th level halfling' },
  { intent: 'rules.spells', example: 'Spell slots of a 7th level cleric with Wisdom 17' },
  { intent: 'rules.monster', example: 'Stats for a bugbear' },
  { intent: 'dice.roll', example: 'Roll 4d6 drop lowest' },
  { intent: 'dungeon.generate', example: 'Generate a small dungeon for a level 3 party' },
  { intent: 'entity.search', example: 'Find the NPCs named Elara' },
  { intent: 'entity.show', example: 'Who is Elara?' },
];

export interface Cue {
  id: string;
  /** matched against the lower-case text; a function sees the extracted slots */
  test: RegExp | ((x: Extraction) => boolean);
  weight: number;
}

export interface IntentDefinition {
  intent: IntentName;
  /** at least one anchor must match, or the intent scores 0 */
  anchors: readonly Cue[];
  /** extra evidence */
  cues?: readonly Cue[];
  /** evidence for another intent: subtracted */
  against?: readonly Cue[];
  /** slots this intent reads, each adding SLOT_WEIGHT when present */
  slots: readonly SlotName[];
  /** slots it cannot do without (and, with `needs`, any further ones a slot calls for) */
  required?: readonly SlotName[];
  /** further slots these slots call for ("xp" needs a level or an XP total) */
  needs?: (slots: Slots) => SlotName[];
  /** derive intent-specific slots (query, ref, dungeon level) from the extraction */
  finish?: (x: Extraction, slots: Slots) => void;
}

export const SLOT_WEIGHT = 0.05;

const CREATE_VERB =
  /\b(create|make|generate|build|roll up|design|give me|i need|need|new|stat(?: out| up)?)\b/;
const SEARCH_VERB =
  /\b(find|search(?: for)?|look(?:ing)? (?:for|up)|lookup|list|show me (?:all|every|the)|which|are there any|is there (?:an?|any))\b/;
const SHOW_VERB =
  /^(?:please )?(show|display|describe|tell me about|who is|who's|who was|what do we know about|details (?:of|for|on)|info (?:on|about))\b/;
const THAC0_WORD = /\b(thac0|thaco|thac 0)\b/;
const SAVE_WORD = /\bsav(?:e|es|ing throws?)\b/;
const XP_WORD = /\b(xp|exp|e\.x\.p|experience(?: points?)?)\b/;
const TURN_WORD = /\bturn(?:s|ing)?\b(?! (?:to|into) stone)|\bturn(?:ing)? undead\b/;
const THIEF_SKILL_WORDS =
  /\b(thie(?:f|ves|f's|ving) skills?|rogue skills?|pick(?:ing)? pockets?|open(?:ing)? locks?|(?:find|remove)(?:\/| and | or | )?(?:remove )?traps|move silently|moving silently|hide in shadows|hiding in shadows|climb(?:ing)? walls|detect(?:ing)? noise|read(?:ing)? languages)\b/;
/** spells as slots ("spell slots", "spells per day", "how many spells"), tested on the text left after slots */
const SPELL_SLOT_WORDS =
  /\b(spell ?slots?|spells? per (?:day|level)|how many spells|can\b[\w ]{0,40}\bcast|spells? (?:can|does|do|may) (?:an? |the |my )?[\w ]{0,30}\b(?:cast|memori[sz]e|pray|have|get)|spells? (?:of|for) an?\b|spell progression|spells known|spells? at (?:level|\d)|memori[sz]ed? spells|memori[sz]e|spells? (?:does|do) .* get)\b/;
const TO_HIT_WORD =
  /\b(to[- ]hit|need(?:s)? (?:to roll )?to hit|roll(?:s)? (?:needed )?to hit|hit(?:s|ting)? (?:an? )?(?:ac|a\.c\.|armou?r class)|chance to hit)\b/;
const STAT_WORDS =
  /\b(stats?|stat ?block|statistics|hit dice|hd|hit points|hp|armou?r class|how (?:tough|strong|dangerous)|xp value|worth|monster manual|entry(?: for)?|number appearing|damage|thac0|thaco|movement|attacks)\b/;
/** "Elara stats", "show me Elara's stat block": a stored character's sheet */
const SHEET_WORDS = /(?:'s)? (stats|stat ?block|sheet|character sheet)\b/i;
const NAME = `[A-Z][\\p{L}\\p{N}'’-]*(?:(?: (?:of|the|de|du|van|von|da|la|le))? [A-Z][\\p{L}\\p{N}'’-]*)*`;
const SHEET_OF_NAME = new RegExp(
  `^(?:(?:show(?: me)?|give me) )?(?:the )?(?:${NAME}${SHEET_WORDS.source}|(?:the )?(?:stats|stat ?block|sheet|character sheet) (?:of|for) ${NAME})$`,
  'u',
);
const MONSTER_WORD = /\b(monsters?|creatures?|beasts?|foes?)\b/;
const ABILITY_QUESTION =
  /\b(bonus(?:es)?|adjustments?|modifiers?|give|gives|mean|means|table|row|penalt(?:y|ies)|what does|what do|effects?)\b/;
/** A question about the rules is not a request to create anyone. */
const RULES_QUESTION = new RegExp(
  [THAC0_WORD, SAVE_WORD, XP_WORD, TURN_WORD, THIEF_SKILL_WORDS, TO_HIT_WORD]
    .map((r) => r.source)
    .join('|') + /|\bspell ?slots?\b|\bspells per day\b|\bhow many spells\b/.source,
);
const QUESTION_START =
  /^(how many|how much|how|what|what's|whats|which|does|do|is|are|when|why|at what)\b/;
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
  'was',
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

/** A score as `dma ability` reads it, as a number where the lookup wants one (Dex, Wis). */
function abilityScore(x: Extraction, ability: string): number | undefined {
  if (x.slots.ability !== ability || x.slots.score === undefined) return undefined;
  return /^\d{1,2}$/.test(x.slots.score) ? Number(x.slots.score) : undefined;
}

const restMatches = (re: RegExp) => (x: Extraction) => re.test(x.rest.toLowerCase());

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
      { id: 'npc.other-race', test: (x) => x.slots.other_race !== undefined, weight: 0.2 },
    ],
    cues: [{ id: 'npc.create-verb', test: CREATE_VERB, weight: 0.3 }],
    against: [
      { id: 'npc.not-rules', test: RULES_QUESTION, weight: 0.6 },
      { id: 'npc.not-question', test: QUESTION_START, weight: 0.3 },
      { id: 'npc.not-dice', test: (x) => x.slots.notation !== undefined, weight: 0.6 },
      { id: 'npc.not-search', test: SEARCH_VERB, weight: 0.5 },
      { id: 'npc.not-show', test: SHOW_VERB, weight: 0.4 },
      {
        id: 'npc.not-lookup',
        test: (x) =>
          x.slots.ac !== undefined ||
          x.slots.xp !== undefined ||
          (x.slots.score !== undefined && !/\b(?:with|has|having)\b/i.test(x.text)),
        weight: 0.4,
      },
      { id: 'npc.not-spells', test: restMatches(SPELL_SLOT_WORDS), weight: 0.5 },
      {
        id: 'npc.not-dungeon',
        test: (x) =>
          /\bdungeons?\b/i.test(x.text) ||
          x.slots.theme !== undefined ||
          x.slots.rooms !== undefined,
        weight: 0.5,
      },
    ],
    slots: ['class', 'level', 'race', 'other_race', 'alignment', 'name', 'gender', 'count', 'seed'],
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
    against: [
      { id: 'thac0.not-ac', test: (x) => x.slots.ac !== undefined, weight: 0.3 },
      {
        id: 'thac0.not-monster',
        test: (x) => x.slots.monster !== undefined && x.slots.class === undefined,
        weight: 0.5,
      },
    ],
    slots: ['class', 'level'],
    required: ['class', 'level'],
  },
  {
    intent: 'rules.save',
    anchors: [
      { id: 'save.saving-throw', test: /\bsaving[- ]throws?\b/, weight: 0.6 },
      {
        id: 'save.save-vs',
        test: /\bsav(?:e|es|ing) (?:vs\.?|versus|against|for|of|on)\b/,
        weight: 0.6,
      },
      { id: 'save.need-to-save', test: /\b(?:to|must|does|do|can) save\b/, weight: 0.6 },
      { id: 'save.saves', test: /\bsaves\b/, weight: 0.5 },
      { id: 'save.category-save', test: (x) => x.rules.save === 'save.category', weight: 0.5 },
    ],
    cues: [{ id: 'save.versus', test: /\b(vs\.?|versus|against)\b/, weight: 0.1 }],
    slots: ['class', 'level', 'save', 'race'],
    required: ['class', 'level'],
    finish: (x, slots) => {
      // "a dwarf fighter 5 with Con 17": the Constitution save bonus (PHB Table 9)
      const con = abilityScore(x, 'con');
      if (con !== undefined) slots.con = con;
      if (slots.race !== undefined && x.slots.save_word !== undefined)
        slots.save_word = x.slots.save_word;
    },
  },
  {
    intent: 'rules.to-hit',
    anchors: [
      { id: 'to-hit.words', test: TO_HIT_WORD, weight: 0.6 },
      { id: 'to-hit.ac', test: (x) => x.slots.ac !== undefined, weight: 0.3 },
    ],
    cues: [
      { id: 'to-hit.ac-given', test: (x) => x.slots.ac !== undefined, weight: 0.1 },
      { id: 'to-hit.attack', test: /\b(hit|attack|roll|need|needs)\b/, weight: 0.1 },
    ],
    slots: ['class', 'level', 'ac'],
    required: ['class', 'level', 'ac'],
    finish: (x, slots) => {
      // "a 5th level fighter with 18/76 Strength": the hit adjustment (PHB Table 1)
      if (x.slots.ability === 'str' && x.slots.score !== undefined) slots.str = x.slots.score;
    },
  },
  {
    intent: 'rules.ability',
    anchors: [{ id: 'ability.score', test: (x) => x.slots.score !== undefined, weight: 0.5 }],
    cues: [
      { id: 'ability.question', test: ABILITY_QUESTION, weight: 0.15 },
      { id: 'ability.bare', test: (x) => x.rest.trim() === '', weight: 0.15 },
    ],
    against: [
      { id: 'ability.not-other-rules', test: RULES_QUESTION, weight: 0.4 },
      { id: 'ability.not-spells', test: restMatches(SPELL_SLOT_WORDS), weight: 0.4 },
      { id: 'ability.not-create', test: CREATE_VERB, weight: 0.3 },
    ],
    slots: ['ability', 'score', 'class'],
    required: ['ability', 'score'],
  },
  {
    intent: 'rules.xp',
    anchors: [
      { id: 'xp.word', test: XP_WORD, weight: 0.7 },
      { id: 'xp.amount', test: (x) => x.slots.xp !== undefined, weight: 0.7 },
    ],
    cues: [
      { id: 'xp.question', test: /\b(how many|how much|need|needs|what level)\b/, weight: 0.05 },
    ],
    against: [
      {
        // "what XP is an owlbear worth": the monster's entry
        id: 'xp.not-monster',
        test: (x) => x.slots.monster !== undefined && x.slots.class === undefined,
        weight: 0.5,
      },
    ],
    slots: ['class', 'level', 'xp'],
    required: ['class'],
    needs: (s) => (s.level === undefined && s.xp === undefined ? ['level'] : []),
  },
  {
    intent: 'rules.turn',
    anchors: [
      { id: 'turn.undead', test: /\bturn(?:s|ing)? (?:the )?undead\b/, weight: 0.7 },
      { id: 'turn.word', test: TURN_WORD, weight: 0.5 },
    ],
    cues: [
      { id: 'turn.undead-type', test: (x) => x.slots.undead !== undefined, weight: 0.2 },
      { id: 'turn.question', test: /^(can|could|does|will|how)\b/, weight: 0.05 },
    ],
    against: [{ id: 'turn.not-save', test: SAVE_WORD, weight: 0.3 }],
    slots: ['level', 'undead', 'class'],
    required: ['level'],
  },
  {
    intent: 'rules.thief-skills',
    anchors: [{ id: 'thief-skills.words', test: THIEF_SKILL_WORDS, weight: 0.7 }],
    slots: ['level', 'race', 'dex'],
    required: ['level'],
    finish: (x, slots) => {
      const dex = abilityScore(x, 'dex');
      if (dex !== undefined) slots.dex = dex;
    },
  },
  {
    intent: 'rules.spells',
    anchors: [{ id: 'spells.slots', test: restMatches(SPELL_SLOT_WORDS), weight: 0.6 }],
    cues: [{ id: 'spells.caster', test: (x) => x.slots.class !== undefined, weight: 0.05 }],
    against: [{ id: 'spells.not-save', test: SAVE_WORD, weight: 0.4 }],
    slots: ['class', 'level', 'wis'],
    required: ['class', 'level'],
    finish: (x, slots) => {
      const wis = abilityScore(x, 'wis');
      if (wis !== undefined) slots.wis = wis;
    },
  },
  {
    intent: 'rules.monster',
    anchors: [
      { id: 'monster.name', test: (x) => x.slots.monster !== undefined, weight: 0.35 },
      { id: 'monster.word', test: MONSTER_WORD, weight: 0.2 },
    ],
    cues: [
      { id: 'monster.stats', test: STAT_WORDS, weight: 0.3 },
      { id: 'monster.named', test: (x) => x.slots.monster !== undefined, weight: 0.05 },
      {
        id: 'monster.stat-question',
        test: (x) =>
          x.slots.monster !== undefined &&
          x.slots.class === undefined &&
          XP_WORD.test(x.text.toLowerCase()),
        weight: 0.3,
      },
      {
        id: 'monster.named-monster',
        test: (x) => x.slots.monster !== undefined && MONSTER_WORD.test(x.text.toLowerCase()),
        weight: 0.2,
      },
      {
        id: 'monster.what-is',
        test: /^(?:what is|what's|whats|what are|tell me about|describe|look up|show(?: me)?) (?:an? |the )?/,
        weight: 0.25,
      },
    ],
    against: [
      { id: 'monster.not-npc', test: /\b(npcs?|non-?player characters?)\b/, weight: 0.5 },
      {
        id: 'monster.not-create',
        test: /\b(create|make|generate|build|roll up|design|new|stat (?:out|up))\b/,
        weight: 0.3,
      },
      { id: 'monster.not-turn', test: TURN_WORD, weight: 0.4 },
      { id: 'monster.not-stored', test: (x) => x.slots.type !== undefined, weight: 0.3 },
    ],
    slots: ['monster'],
    required: ['monster'],
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
      { id: 'dungeon.not-question', test: QUESTION_START, weight: 0.3 },
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
    against: [
      { id: 'search.not-rules', test: RULES_QUESTION, weight: 0.5 },
      {
        id: 'search.not-sheet',
        test: (x) => x.slots.monster === undefined && SHEET_OF_NAME.test(x.text),
        weight: 0.4,
      },
      {
        id: 'search.not-monster-stats',
        test: (x) => x.slots.monster !== undefined && STAT_WORDS.test(x.text.toLowerCase()),
        weight: 0.4,
      },
    ],
    slots: ['type', 'query'],
    required: ['query'],
    finish: (x, slots) => {
      const query = x.slots.name ?? remainderAfter(SEARCH_VERB, x);
      if (query !== undefined) slots.query = query;
    },
  },
  {
    intent: 'entity.show',
    anchors: [
      { id: 'show.verb', test: SHOW_VERB, weight: 0.6 },
      {
        // "Elara stats", "Elara's stat block": a capitalised name that is not a monster
        id: 'show.sheet-of-name',
        test: (x) => x.slots.monster === undefined && SHEET_OF_NAME.test(x.text),
        weight: 0.6,
      },
    ],
    cues: [{ id: 'show.type', test: (x) => x.slots.type !== undefined, weight: 0.1 }],
    against: [
      {
        id: 'show.not-rules',
        test: /\b(thac0|thaco|sav(?:e|es|ing throws?)|roll|dice|d\d+)\b/,
        weight: 0.5,
      },
      { id: 'show.not-rules-question', test: RULES_QUESTION, weight: 0.5 },
      {
        id: 'show.not-list',
        test: (x) =>
          /^(?:please )?show me (?:all|every|the)\b/i.test(x.text) && !SHEET_OF_NAME.test(x.text),
        weight: 0.5,
      },
      {
        id: 'show.not-monster-stats',
        test: (x) =>
          x.slots.monster !== undefined &&
          x.slots.type === undefined &&
          (STAT_WORDS.test(x.text.toLowerCase()) || MONSTER_WORD.test(x.text.toLowerCase())),
        weight: 0.4,
      },
      {
        // "tell me about orcs": the monster, unless a stored type or a proper name was named
        id: 'show.not-monster',
        test: (x) =>
          x.slots.monster !== undefined &&
          x.slots.type === undefined &&
          x.slots.name === undefined &&
          !/^[A-Z]/.test(remainderAfter(SHOW_VERB, x) ?? ''),
        weight: 0.3,
      },
    ],
    slots: ['type', 'ref'],
    required: ['ref'],
    finish: (x, slots) => {
      const ref =
        x.slots.name ??
        remainderAfter(SHOW_VERB, x)
          ?.replace(
            /^(?:give me )?(?:the )?(?:stats|stat ?block|sheet|character sheet) (?:of|for) /i,
            '',
          )
          .replace(SHEET_WORDS, '')
          .trim();
      if (ref !== undefined && ref !== '') slots.ref = ref;
    },
  },
];
