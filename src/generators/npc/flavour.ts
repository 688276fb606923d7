/**
 * Flavour: name (race syllables), looks, traits, manner, motivation and a description
 * paragraph, all rolled on the tables of rules-data/npc-names.yaml and npc-flavour.yaml.
 */
import type { Rng } from '../../core/rng.ts';
import { npcFlavourTable } from '../../data/npc-flavour.ts';
import { npcNamesTable } from '../../data/npc-names.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import type { Gender, RollStep } from './types.ts';

type NameParts = (typeof npcNamesTable.races)[RaceKey]['male'];

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function buildName(parts: NameParts, rng: Rng, rolls: number[]): string {
  const pick = (list: readonly string[]) => {
    const i = rng.int(1, list.length);
    rolls.push(i);
    return list[i - 1]!;
  };
  let name = pick(parts.start);
  if (parts.middle.length > 0 && parts.middle_chance > 0) {
    const d = rng.int(1, 100);
    rolls.push(d);
    if (d <= parts.middle_chance) name += pick(parts.middle);
  }
  return capitalise(name + pick(parts.end));
}

/** A name from the race's syllables: given name, then the family name if the race uses one. */
export function rollName(
  race: RaceKey,
  gender: Gender,
  rng: Rng,
): { name: string; step: RollStep } {
  const r = npcNamesTable.races[race];
  const rolls: number[] = [];
  let name = buildName(r[gender], rng, rolls);
  if (r.family !== undefined) name += (r.family_joiner ?? ' ') + buildName(r.family, rng, rolls);
  return {
    name,
    step: {
      step: 'name',
      table: `npc-names ${race} ${gender}`,
      source: npcNamesTable.source,
      rolls,
      result: name,
      note: 'syllables picked by number (start, middle chance d100, end; then the family name)',
    },
  };
}

export interface Flavour {
  appearance: string;
  traits: string[];
  personality: string;
  motivation: string;
  description: string;
}

export interface FlavourFacts {
  name: string;
  race: string;
  /** as the prose names it: "fighter", "fighter/mage", "mage (once a fighter)" */
  class: string;
  gender: Gender;
}

/**
 * A batch's shared deck: within each run of 10 NPCs the flavour lists are dealt like
 * cards — NPC `slot` of the run takes places slot×k … slot×k+k-1 of a shuffle seeded by
 * `seed` — so no entry repeats in the run until its list is used up. A lone NPC has none
 * and rolls each pick (its own traits never repeat).
 */
export interface FlavourDeck {
  seed: number;
  slot: number;
}
export const DECK_SIZE = 10;

const PRONOUNS: Record<Gender, Record<string, string>> = {
  male: {
    they: 'he',
    They: 'He',
    them: 'him',
    their: 'his',
    Their: 'His',
    themselves: 'himself',
  },
  female: {
    they: 'she',
    They: 'She',
    them: 'her',
    their: 'her',
    Their: 'Her',
    themselves: 'herself',
  },
};

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const templateCache = new Map<string, string[]>();

/** Fill `{key}` placeholders; "a" before a vowel becomes "an". Templates are split once. */
export function fill(template: string, words: Record<string, string>): string {
  let parts = templateCache.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    templateCache.set(template, parts);
  }
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : (words[parts[i]!] ?? '');
  return out.replace(/\b([Aa]) (?=[aeiou])/g, '$1n ');
}

type ListName = keyof typeof npcFlavourTable.lists;
const SOURCE = "dma's own";

/**
 * The first `m` places of a shuffle of 0..n-1 for a deck seed and list (a Fisher-Yates
 * run from the front, stopped after `m` places: a run of 10 never needs more). Cached:
 * the ten NPCs of a run ask for the same one.
 */
const shuffles = new Map<string, number[]>();
function shuffle(seed: number, name: string, n: number, m: number): number[] {
  const key = `${seed}/${name}`;
  let order = shuffles.get(key);
  if (order === undefined) {
    let h = seed | 0;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1);
    // mulberry32: a small fixed generator, so a deck is the same on every machine
    let state = h >>> 0;
    const next = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const all = Array.from({ length: n }, (_, i) => i);
    const places = Math.min(m, n);
    for (let i = 0; i < places; i++) {
      const j = i + Math.floor(next() * (n - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    order = all.slice(0, places);
    if (shuffles.size > 64) shuffles.clear();
    shuffles.set(key, order);
  }
  return order;
}

/** Picks entries of the flavour lists: `pick(step, list, k, per, avoid)`. */
type ListPicker = (
  step: string,
  name: ListName,
  k?: number,
  per?: number,
  avoid?: string[],
) => string;

/**
 * The k-th pick (of `per` for this NPC) from a list, never one in `avoid`: dealt from the
 * deck's shuffle while the list lasts, else rolled (re-rolled past entries this NPC has).
 */
function flavourPicker(rng: Rng, log: RollStep[], deck: FlavourDeck | undefined): ListPicker {
  return (step, name, k = 0, per = 1, avoid = []) => {
    const entries = npcFlavourTable.lists[name];
    let index: number;
    let dice: string;
    const place = deck === undefined ? -1 : deck.slot * per + k;
    if (deck !== undefined && place < entries.length) {
      index = shuffle(deck.seed, name, entries.length, DECK_SIZE * per)[place]!;
      dice = 'deck';
    } else {
      // no deck, or the list is used up: a roll (re-rolled past entries this NPC has)
      dice = `d${entries.length}`;
      do index = rng.int(0, entries.length - 1);
      while (avoid.includes(entries[index]!) && avoid.length < entries.length);
    }
    log.push({
      step,
      table: name,
      source: SOURCE,
      dice,
      rolls: [index + 1],
      result: entries[index]!,
    });
    return entries[index]!;
  };
}

/** How many personality traits (rules-data/npc-flavour.yaml `traits`), then each, no repeats. */
function rollTraits(pick: ListPicker, rng: Rng, log: RollStep[]): string[] {
  const { min, max } = npcFlavourTable.traits;
  const count = rng.int(min, max);
  log.push({
    step: 'trait count',
    source: SOURCE,
    dice: `1d${max - min + 1}${min > 1 ? `+${min - 1}` : ''}`,
    rolls: [count - min + 1],
    result: count,
  });
  const traits: string[] = [];
  for (let k = 0; k < count; k++) {
    const t = pick('personality trait', 'trait', k, max, traits);
    if (!traits.includes(t)) traits.push(t);
  }
  return traits;
}

/** Roll looks, traits, manner and motivation, and fill a description template. */
export function rollFlavour(
  facts: FlavourFacts,
  rng: Rng,
  log: RollStep[],
  deck?: FlavourDeck,
): Flavour {
  const pick = flavourPicker(rng, log, deck);
  if (deck !== undefined) {
    log.push({
      step: 'flavour deck',
      source: SOURCE,
      rolls: [deck.slot],
      result: deck.seed,
      note: `the batch's flavour deck (seed, and this NPC's place 0-${DECK_SIZE - 1} in its run of ${DECK_SIZE}): entries are dealt from its shuffles, without repeats in the run`,
    });
  }
  // the pronouns for the entries' own placeholders, then everything for the paragraph in one
  // literal of plain keys (a copy of the pronouns with eleven keys added, by Object.assign or
  // by a spread, cost ~5.7 KB of garbage per NPC: 8% of what a batch's generation allocated)
  const pronouns = PRONOUNS[facts.gender];
  const build = pick('appearance', 'build');
  const hair = pick('appearance', 'hair');
  const eyes = pick('appearance', 'eyes');
  const feature = fill(pick('appearance', 'feature'), pronouns);
  const traits = rollTraits(pick, rng, log);
  const manner = fill(pick('manner', 'manner'), pronouns);
  const motivation = fill(pick('motivation', 'motivation'), pronouns);
  const template = pick('description', 'description');
  const words: Record<string, string> = {
    they: pronouns.they!,
    They: pronouns.They!,
    them: pronouns.them!,
    their: pronouns.their!,
    Their: pronouns.Their!,
    themselves: pronouns.themselves!,
    name: facts.name,
    race: facts.race,
    class: facts.class,
    build,
    hair,
    eyes,
    feature,
    manner,
    motivation,
    traits: list(traits),
    traits_cap: capitalise(list(traits)),
  };
  const description = fill(template, words);
  // the template itself is in the log; keep the filled paragraph out of it
  return {
    appearance: `${capitalise(build)}, with ${hair} and ${eyes}; ${feature}`,
    traits,
    personality: `${capitalise(list(traits))}; ${manner}.`,
    motivation,
    description,
  };
}
