/** Every class and race the options allow, weighted, for the ability rolls to choose from. */
import { UsageError } from '../../core/errors.ts';
import { npcFlavourTable } from '../../data/npc-flavour.ts';
import { CLASSES, type ClassKey, classRecord } from '../../rules/classes.ts';
import { DUAL_CLASS, multiclassCombinations, resolveClassSet } from '../../rules/multiclass.ts';
import { ALIGNMENT_NAMES } from '../../rules/npc.ts';
import { type Candidate, candidate } from './abilities.ts';
import { type ResolvedOptions, topLimit } from './options.ts';

const candidateCache = new Map<string, Candidate[]>();

/** Every class and race the options allow, weighted (rules-data/npc-flavour.yaml); cached. */
export function candidates(o: ResolvedOptions): Candidate[] {
  const key = `${o.className}|${o.dual}|${o.race}|${o.alignment}|${o.level}`;
  let list = candidateCache.get(key);
  if (list === undefined) {
    list = buildCandidates(o);
    candidateCache.set(key, list);
  }
  return list;
}

/** Every class of `classes` allows the alignment asked for (any, when none is). */
const allowsAlignment = (o: ResolvedOptions, classes: readonly ClassKey[]) =>
  o.alignment === undefined ||
  classes.every((c) => classRecord(c).alignments.includes(o.alignment!));

/** The classes share at least one alignment. */
const shareAnAlignment = (classes: readonly ClassKey[]) =>
  classRecord(classes[0]!).alignments.some((a) =>
    classes.every((c) => classRecord(c).alignments.includes(a)),
  );

/** A dual-class pair: each race that may dual-class and take both classes. */
function dualClassCandidates(o: ResolvedOptions): Candidate[] {
  const classes = o.classes!;
  if (!allowsAlignment(o, classes) || !shareAnAlignment(classes)) return [];
  const out: Candidate[] = [];
  for (const race of o.race === undefined ? DUAL_CLASS.races : [o.race]) {
    if (!classes.every((c) => classRecord(c).races.includes(race))) continue;
    out.push(
      candidate(classes, race, 1, {
        old: DUAL_CLASS.old_class_minimum,
        next: DUAL_CLASS.new_class_minimum,
      }),
    );
  }
  return out;
}

/**
 * The class or combination asked for, else every class and combination: each with every
 * race that may take it at the level asked for, weighted by class (or multi-class) and race.
 */
function classCandidates(o: ResolvedOptions): Candidate[] {
  const w = npcFlavourTable.weights;
  const out: Candidate[] = [];
  const sets: ClassKey[][] =
    o.classes !== undefined
      ? [o.classes]
      : [...CLASSES.map((c) => [c]), ...multiclassCombinations().map((c) => c.classes)];
  for (const classes of sets) {
    if (!allowsAlignment(o, classes) || !shareAnAlignment(classes)) continue;
    const multi = classes.length > 1;
    const combo = multi ? resolveClassSet(classes.join('/')) : undefined;
    const races = combo?.races ?? classRecord(classes[0]!).races;
    for (const race of o.race === undefined ? races : [o.race]) {
      if (!races.includes(race)) continue;
      const limit = topLimit(classes, race);
      if (limit === undefined) continue;
      if (o.level !== undefined && limit !== null && o.level > limit) continue;
      const weight = multi
        ? w.multiclass * (w.race[race] ?? 1)
        : (w.class[classes[0]!] ?? 1) * (w.race[race] ?? 1);
      out.push(candidate(classes, race, weight));
    }
  }
  return out;
}

function buildCandidates(o: ResolvedOptions): Candidate[] {
  const out = o.dual ? dualClassCandidates(o) : classCandidates(o);
  if (out.length > 0) return out;
  const asked = [
    o.className === undefined ? undefined : `${o.dual ? 'dual-class ' : ''}${o.className}`,
    o.race === undefined ? undefined : `race ${o.race}`,
    o.alignment === undefined ? undefined : `alignment ${ALIGNMENT_NAMES[o.alignment]}`,
    o.level === undefined ? undefined : `level ${o.level}`,
  ].filter((x) => x !== undefined);
  throw new UsageError(
    `no class allows ${asked.join(', ')} together (PHB Chapter 3 class rules; DMG Chapter 2, Racial Class and Level Limits)`,
  );
}
