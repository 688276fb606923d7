/** Who the NPC is before any level: gender, class and race, ability scores, alignment. */
import { abilitiesTable } from '../../data/abilities.ts';
import { npcFlavourTable } from '../../data/npc-flavour.ts';
import { racesTable } from '../../data/races.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { ABILITIES, type Ability } from '../../rules/abilities.ts';
import { type ClassKey, classRecord, isWarrior } from '../../rules/classes.ts';
import { ALIGNMENT_NAMES, type AlignmentCode } from '../../rules/npc.ts';
import { rollAbilities } from './abilities.ts';
import { candidates } from './candidates.ts';
import type { ResolvedOptions } from './options.ts';
import { type Rolls, weightedPick } from './rolls.ts';
import type { Gender, NpcAbilities } from './types.ts';

/** Who the NPC is before any level: gender, class and race, ability scores. */
export interface Body {
  gender: Gender;
  classes: ClassKey[];
  race: RaceKey;
  /** the classes' name, "fighter/mage" */
  klass: string;
  multi: boolean;
  dual: boolean;
  /** after racial adjustments */
  scores: Record<Ability, number>;
  abilities: NpcAbilities;
  warrior: boolean;
}

/** Gender, then ability scores with class and race, racial adjustments, exceptional strength. */
export function rollBody(o: ResolvedOptions, r: Rolls): Body {
  const gender = o.gender ?? (r.roll('gender', 'gender') as Gender);
  const rolled = rollAbilities(o.method, candidates(o), r.rng);
  r.log.push(...rolled.steps);
  const { classes, race, klass } = rolled.chosen;
  const adj = racesTable.races[race].adjustments as Partial<Record<Ability, number>>;
  const scores = {} as Record<Ability, number>;
  ABILITIES.forEach((a, i) => (scores[a] = rolled.raw[i]! + (adj[a] ?? 0)));
  const adjusted = ABILITIES.filter((a) => adj[a] !== undefined);
  if (adjusted.length > 0) {
    r.log.push({
      step: 'racial adjustments',
      source: 'PHB Table 8 (Racial Ability Adjustments)',
      rolls: [],
      result: adjusted
        .map((a) => `${a} ${adj[a]! > 0 ? '+' : ''}${adj[a]} = ${scores[a]}`)
        .join(', '),
    });
  }
  const abilities: NpcAbilities = { ...scores };
  const warrior = classes.some((c) => isWarrior(c));
  if (warrior && scores.str === 18) {
    const d = r.rng.int(1, 100);
    abilities.str_exceptional = d;
    r.log.push({
      step: 'exceptional strength',
      source: abilitiesTable.strength.source,
      dice: 'd100',
      rolls: [d],
      result: `18/${d === 100 ? '00' : String(d).padStart(2, '0')}`,
      note: 'warriors with Strength 18 roll percentile dice',
    });
  }
  const multi = classes.length > 1 && o.dual !== true;
  return { gender, classes, race, klass, multi, dual: o.dual === true, scores, abilities, warrior };
}

/** The alignment asked for, or one every class allows, by dma's weights. */
export function rollAlignment(
  o: ResolvedOptions,
  classes: readonly ClassKey[],
  r: Rolls,
): AlignmentCode {
  if (o.alignment !== undefined) return o.alignment;
  const allowed = (classRecord(classes[0]!).alignments as AlignmentCode[]).filter((a) =>
    classes.every((c) => classRecord(c).alignments.includes(a)),
  );
  const pick = weightedPick(npcFlavourTable.weights.alignment, allowed, r.rng);
  r.log.push({
    step: 'alignment',
    table: 'npc-flavour weights',
    source: `dma's own weights, among those ${classes.map((c) => classRecord(c).source).join('; ')} allow${classes.length > 1 ? '' : 's'}`,
    dice: `d${pick.total}`,
    rolls: [pick.roll],
    result: ALIGNMENT_NAMES[pick.value],
  });
  return pick.value;
}
