/**
 * Checking entities without Zod: the store validates names, data, relationships and
 * export documents with the validators compiled from entities.ts, then runs here the
 * rules JSON Schema cannot state. entities.ts's `.refine()` and `z.custom()` call these
 * same functions, so each rule is written once.
 */
import { scanRollLog, scanRollLogLengths } from '../core/roll-log.ts';
import { compiledValidator, firstError, isPlainObject } from './compiled.ts';
import type { EntityType } from './entity-types.ts';

/** A problem found: the path under the record checked, and what is wrong. */
export interface EntityIssue {
  segments: (string | number)[];
  message: string;
}

/** PHB Table 1: exceptional strength comes with 18 strength only. */
export function exceptionalStrengthFits(a: { str: number; str_exceptional?: number | undefined }) {
  return a.str_exceptional === undefined || a.str === 18;
}
export const EXCEPTIONAL_STRENGTH_MESSAGE = 'str_exceptional is only allowed with str 18';

/** PHB Table 1 note: only warriors (fighter, paladin, ranger) roll exceptional strength. */
const WARRIOR = /\b(fighter|paladin|ranger|warrior)\b/i;
export function exceptionalStrengthIsAWarriors(d: {
  class: string;
  abilities?: { str_exceptional?: number | undefined } | undefined;
}) {
  return d.abilities?.str_exceptional === undefined || WARRIOR.test(d.class);
}
export const WARRIOR_MESSAGE = 'str_exceptional is only for warriors (fighter, paladin, ranger)';

export const hpWithinMax = (p: { hp: number; max_hp: number }) => p.hp <= p.max_hp;
export const HP_MESSAGE = 'hp must not exceed max_hp';

const ROLL_KEYS = new Set(['step', 'table', 'source', 'dice', 'rolls', 'result', 'note']);
const textUpTo = (v: unknown, min: number, max: number) =>
  typeof v === 'string' && v.length >= min && v.length <= max;
/** absent, or a text of min–max UTF-16 units */
const optionalText = (v: unknown, min: number, max: number) =>
  v === undefined || textUpTo(v, min, max);

/**
 * One step of a roll log ({step, table?, source?, dice?, rolls: integer[], result:
 * integer | text, note?}), checked by hand: a generated NPC carries ~30 steps, and
 * 10,000 of them in one `createMany` spent most of their validation time in per-step
 * schema objects. `rollSchema` (entities.ts) stays the documented shape; a test keeps
 * the two in step.
 */
export function isRollStep(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const k in v) if (!ROLL_KEYS.has(k)) return false;
  const rolls = v['rolls'];
  return (
    Array.isArray(rolls) &&
    rolls.every((n) => Number.isSafeInteger(n)) &&
    stepFieldsFit(
      v['step'],
      v['table'],
      v['source'],
      v['dice'],
      rolls.length,
      v['result'],
      v['note'],
    )
  );
}

/** A step's fields within their bounds (its rolls already known to be integers). */
function stepFieldsFit(
  step: unknown,
  table: unknown,
  source: unknown,
  dice: unknown,
  rollCount: number,
  result: unknown,
  note: unknown,
): boolean {
  return (
    textUpTo(step, 1, 200) &&
    // no closures: this runs for every step of every stored NPC (4 closures a step were
    // 70 MB of garbage in a 10,000-NPC batch)
    optionalText(table, 1, 200) &&
    optionalText(source, 1, 200) &&
    optionalText(dice, 1, 50) &&
    optionalText(note, 0, 500) &&
    rollCount <= 100 &&
    (Number.isSafeInteger(result) || textUpTo(result, 1, 2000))
  );
}
export const ROLL_STEP_MESSAGE =
  'not a roll-log step {step, table?, source?, dice?, rolls: integer[], result: integer | text, note?}';

/** An ISO 8601 UTC or offset timestamp that is also a real date (what Date#toISOString writes). */
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
export const isIsoTimestamp = (s: string) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s));
export const ISO_TIMESTAMP_MESSAGE = 'not an ISO 8601 timestamp';
export const PLAIN_OBJECT_MESSAGE = 'expected an object';

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A trimmed name of 1–`max` characters (an entity's: 255, a relationship type: 100), or
 * the problem with it.
 */
export function trimmedText(
  value: unknown,
  max: number,
): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof value !== 'string') return { ok: false, message: 'must be a string' };
  const v = value.trim();
  if (v.length === 0) return { ok: false, message: 'must NOT be empty' };
  if (v.length > max && codePoints(v) > max)
    return { ok: false, message: `must NOT have more than ${max} characters` };
  return { ok: true, value: v };
}

/** The compiled check of `name`, then `extra` (the hand-written rules) when it passes. */
function check(
  name: string,
  value: unknown,
  extra: () => EntityIssue | undefined = () => undefined,
): EntityIssue | undefined {
  const v = compiledValidator(name);
  return v(value) ? extra() : firstError(v);
}

const issue = (segments: (string | number)[], message: string): EntityIssue => ({
  segments,
  message,
});

/** stepFieldsFit on the lengths scanRollLogLengths gives (-1 absent, -2 a numeric result). */
function stepLengthsFit(l: Int32Array): boolean {
  const step = l[0]!;
  const table = l[1]!;
  const source = l[2]!;
  const dice = l[3]!;
  const result = l[5]!;
  const note = l[6]!;
  return (
    step >= 1 &&
    step <= 200 &&
    (table === -1 || (table >= 1 && table <= 200)) &&
    (source === -1 || (source >= 1 && source <= 200)) &&
    (dice === -1 || (dice >= 1 && dice <= 50)) &&
    note <= 500 &&
    l[4]! <= 100 &&
    (result === -2 || (result >= 1 && result <= 2000))
  );
}

/** The roll log's steps, and exceptional strength against 18 strength. */
function npcOrPcRules(d: Record<string, unknown>): EntityIssue | undefined {
  const abilities = d['abilities'] as { str: number; str_exceptional?: number } | undefined;
  if (abilities && !exceptionalStrengthFits(abilities))
    return issue(['abilities', 'str_exceptional'], EXCEPTIONAL_STRENGTH_MESSAGE);
  const log = d['roll_log'];
  if (Array.isArray(log)) {
    const bad = log.findIndex((s) => !isRollStep(s));
    if (bad >= 0) return issue(['roll_log', bad], ROLL_STEP_MESSAGE);
  } else if (typeof log === 'string') {
    // the usual log, well-formed and fitting, is checked on its texts' lengths alone
    const fast = scanRollLogLengths(log, stepLengthsFit);
    if (fast >= 0 && fast <= 2000) return undefined;
    // checked as it is scanned: no step objects (the first bad step, the whole log parsed)
    let bad = -1;
    let steps: number;
    try {
      steps = scanRollLog(log, (f, i) => {
        if (
          bad < 0 &&
          !stepFieldsFit(f.step, f.table, f.source, f.dice, f.rollCount, f.result, f.note)
        )
          bad = i;
      });
    } catch (err) {
      return issue(['roll_log'], `not a compact roll log: ${(err as Error).message}`);
    }
    if (steps > 2000) return issue(['roll_log'], 'more than 2000 roll-log steps');
    if (bad >= 0) return issue(['roll_log', bad], ROLL_STEP_MESSAGE);
  }
  return undefined;
}

/** The hand-written rules of each entity type (COMPILED_ELSEWHERE in the generator). */
const RULES: Partial<Record<EntityType, (d: Record<string, unknown>) => EntityIssue | undefined>> =
  {
    npc: (d) =>
      npcOrPcRules(d) ??
      (exceptionalStrengthIsAWarriors(d as { class: string })
        ? undefined
        : issue(['abilities', 'str_exceptional'], WARRIOR_MESSAGE)),
    pc: (d) =>
      npcOrPcRules(d) ??
      (hpWithinMax(d as { hp: number; max_hp: number }) ? undefined : issue(['hp'], HP_MESSAGE)) ??
      (exceptionalStrengthIsAWarriors(d as { class: string })
        ? undefined
        : issue(['abilities', 'str_exceptional'], WARRIOR_MESSAGE)),
  };

/** The problem with an entity's `data` for its type, if any. */
export function entityDataIssue(type: EntityType, data: unknown): EntityIssue | undefined {
  return check(`entity:${type}`, data, () => RULES[type]?.(data as Record<string, unknown>));
}

/** An exported entity record (its `data` is checked apart, by entityDataIssue). */
export function exportedEntityIssue(rec: unknown): EntityIssue | undefined {
  return check('export:entity', rec, () => {
    const r = rec as Record<string, unknown>;
    if (!isPlainObject(r['data'])) return issue(['data'], PLAIN_OBJECT_MESSAGE);
    for (const k of ['created_at', 'updated_at'])
      if (!isIsoTimestamp(r[k] as string)) return issue([k], ISO_TIMESTAMP_MESSAGE);
    return undefined;
  });
}

export function exportedRelationshipIssue(rec: unknown): EntityIssue | undefined {
  return check('export:relationship', rec, () =>
    isIsoTimestamp((rec as { created_at: string }).created_at)
      ? undefined
      : issue(['created_at'], ISO_TIMESTAMP_MESSAGE),
  );
}

export function exportHeaderIssue(doc: unknown): EntityIssue | undefined {
  return check('export:header', doc, () =>
    isIsoTimestamp((doc as { exported_at: string }).exported_at)
      ? undefined
      : issue(['exported_at'], ISO_TIMESTAMP_MESSAGE),
  );
}
