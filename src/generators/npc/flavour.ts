/**
 * Flavour: name (race syllables), looks, traits, manner, motivation and a description
 * paragraph, all rolled on the tables of rules-data/npc-names.yaml and npc-flavour.yaml.
 */
import type { Rng } from '../../core/rng.ts';
import { npcFlavourData, npcNamesData } from '../../data/npc.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import type { TableRoller } from '../tables.ts';
import type { Gender, RollStep } from './types.ts';

type NameParts = (typeof npcNamesData.races)[RaceKey]['male'];

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
  const r = npcNamesData.races[race];
  const rolls: number[] = [];
  let name = buildName(r[gender], rng, rolls);
  if (r.family !== undefined) name += (r.family_joiner ?? ' ') + buildName(r.family, rng, rolls);
  return {
    name,
    step: {
      step: 'name',
      table: `npc-names ${race} ${gender}`,
      source: npcNamesData.source,
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
  class: string;
  gender: Gender;
}

const PRONOUNS: Record<Gender, Record<string, string>> = {
  male: { they: 'he', They: 'He', them: 'him', their: 'his', Their: 'His' },
  female: { they: 'she', They: 'She', them: 'her', their: 'her', Their: 'Her' },
};

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const templateCache = new Map<string, string[]>();

/** Fill `{key}` placeholders; "a" before a vowel becomes "an". Templates are split once. */
function fill(template: string, words: Record<string, string>): string {
  let parts = templateCache.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    templateCache.set(template, parts);
  }
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : (words[parts[i]!] ?? '');
  return out.replace(/\b([Aa]) (?=[aeiou])/g, '$1n ');
}

/** Roll looks, traits, manner and motivation, and fill a description template. */
export function rollFlavour(
  facts: FlavourFacts,
  roll: (step: string, table: string) => string,
  roller: TableRoller,
  log: RollStep[],
): Flavour {
  const build = roll('appearance', 'build');
  const hair = roll('appearance', 'hair');
  const eyes = roll('appearance', 'eyes');
  const feature = roll('appearance', 'feature');
  const { min, max } = npcFlavourData.traits;
  const count = roller.rng.int(min, max);
  log.push({
    step: 'trait count',
    source: "dma's own",
    dice: `1d${max - min + 1}${min > 1 ? `+${min - 1}` : ''}`,
    rolls: [count - min + 1],
    result: count,
  });
  const traits: string[] = [];
  // a repeated trait is rolled again (the log shows every roll)
  while (traits.length < count) {
    const t = roll('personality trait', 'trait');
    if (!traits.includes(t)) traits.push(t);
  }
  const manner = roll('manner', 'manner');
  const motivation = roll('motivation', 'motivation');
  const template = roll('description', 'description');
  const words: Record<string, string> = {
    ...PRONOUNS[facts.gender],
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
    appearance: `${build} build, ${hair}, ${eyes}; ${feature}`,
    traits,
    personality: `${capitalise(list(traits))}; ${manner}.`,
    motivation,
    description,
  };
}
