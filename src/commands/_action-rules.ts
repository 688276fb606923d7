/**
 * The Rules Arbiter's step of `dma action`: the character's action, and inside a stored
 * fight the round around it — initiative, the enemies' answers, a spell lost to a hit.
 * Only the combat module is imported lazily (the fast lane, see action.ts).
 */
import {
  type ActionTarget,
  type ArbiterEffects,
  type ArbiterInput,
  arbitrateFull,
  classifyAction,
} from '../agents/action/arbiter.ts';
import {
  rollInitiative,
  withPartyModifier,
  type EncounterState,
  type Initiative,
} from '../agents/action/combat.ts';
import { type EnemyAttack, enemyAttacks } from '../agents/action/enemies.ts';
import type { CharacterSheet, RulesOutput } from '../contracts/action.ts';
import { type Rng, createRng } from '../core/rng.ts';
import { spellsTable } from '../data/spells.ts';

/** What the action and the round did. */
export interface Turn {
  rules: RulesOutput;
  effects: ArbiterEffects;
  /** the round's initiative (a round was fought) */
  initiative?: Initiative;
  /** the enemies' attacks, in order */
  attacks: EnemyAttack[];
  /** the enemies' notes for --explain */
  combatNotes: string[];
  /** the character's hit points after the enemies' attacks, before any healing */
  hp: number;
}

/** The action to resolve: the dice, the crit rule and the range as the command was given. */
export interface TurnInput {
  text: string;
  sheet: CharacterSheet;
  target: ActionTarget;
  rng: Rng;
  critRule: NonNullable<ArbiterInput['critRule']>;
  rangeYards?: number;
}

const NO_EFFECTS = (): ArbiterEffects => ({ heal: 0, explain: [] });

export function refusedRules(reason: string): RulesOutput {
  return {
    action_type: 'refused',
    mechanics_result: { action_type: 'refused', reason, notes: [] },
    success: false,
    narrative_hints: ['refused'],
  };
}

/** The casting time of a spell named in the text, for the initiative (PHB Table 55). */
function castingTimeModifier(text: string): { modifier: number; note?: string } {
  if (classifyAction(text) !== 'spell') return { modifier: 0 };
  const lower = text.toLowerCase();
  const spell = [...spellsTable.spells]
    .sort((a, b) => b.name.length - a.name.length)
    .find((s) => lower.includes(s.name));
  if (spell === undefined) return { modifier: 0 };
  if (/^\d+$/.test(spell.casting_time)) {
    return {
      modifier: Number(spell.casting_time),
      note: `casting ${spell.name}: +${spell.casting_time} to the party's initiative (casting time, PHB Table 55)`,
    };
  }
  return {
    modifier: 10,
    note: `casting ${spell.name} takes ${spell.casting_time}: it goes off at the end of the round (PHB Chapter 9)`,
  };
}

/**
 * Outside a stored fight: the action alone. An attack on a known monster notes that the
 * monster's answer is not rolled.
 */
export function actAlone(t: TurnInput): Turn {
  const { rules, effects } = arbitrateFull({
    action: t.text,
    sheet: t.sheet,
    target: t.target,
    rng: t.rng,
    critRule: t.critRule,
    ...(t.rangeYards === undefined ? {} : { rangeYards: t.rangeYards }),
  });
  const monster = t.target.monster;
  if (
    rules.action_type === 'attack' &&
    monster !== undefined &&
    rules.mechanics_result.action_type === 'attack'
  ) {
    rules.mechanics_result.notes.push(
      `no fight is stored: the ${monster.name}'s answer is not rolled (dma combat start "${monster.name}" -c <sheet> to run the fight)`,
    );
  }
  return { rules, effects, attacks: [], combatNotes: [], hp: t.sheet.hp };
}

/**
 * Inside a stored fight (`state` is changed in place): a character at 0 hit points cannot
 * act, and a refused action takes no round — it is checked on a copy before any die is
 * rolled. Anything else is fought as a round.
 */
export async function actInFight(
  t: TurnInput,
  state: EncounterState,
  round: number,
): Promise<Turn> {
  const still = (rules: RulesOutput): Turn => ({
    rules,
    effects: NO_EFFECTS(),
    attacks: [],
    combatNotes: [],
    hp: t.sheet.hp,
  });
  if (t.sheet.hp <= 0)
    return still(refusedRules(`${t.sheet.name} is down (0 hit points) and cannot act`));
  const probe = arbitrateFull({
    action: t.text,
    sheet: t.sheet,
    target: t.target,
    rng: createRng(0),
    ...(t.rangeYards === undefined ? {} : { rangeYards: t.rangeYards }),
    enemies: structuredClone(state.enemies),
  });
  if (probe.rules.action_type === 'refused') return still(probe.rules);
  return fightRound(t, state, round);
}

/** The enemies' answers in a round: each active enemy attacks while the character stands. */
function enemyAnswers(state: EncounterState, sheet: CharacterSheet, rng: Rng) {
  const foes = {
    hp: sheet.hp,
    attacks: [] as EnemyAttack[],
    notes: [] as string[],
    act() {
      for (const enemy of state.enemies) {
        if (enemy.status !== 'active' || foes.hp <= 0) continue;
        const r = enemyAttacks(enemy, sheet.armor_class, rng);
        for (const a of r.attacks) {
          foes.attacks.push(a);
          foes.hp = Math.max(0, foes.hp - a.damage);
        }
        foes.notes.push(...r.notes);
      }
    },
  };
  return foes;
}

/**
 * One round (PHB Chapter 9, group initiative): round 1 uses the initiative `combat start`
 * rolled, later rounds roll their own, a spell's casting time added to the party's. The
 * enemies strike first, last, or at the same time as the character.
 */
async function fightRound(t: TurnInput, state: EncounterState, round: number): Promise<Turn> {
  const cast = castingTimeModifier(t.text);
  const initiative =
    round === 1 && state.initiative !== undefined
      ? withPartyModifier(state.initiative, cast.modifier, cast.note)
      : rollInitiative(t.rng, cast.modifier, cast.note);
  const foes = enemyAnswers(state, t.sheet, t.rng);
  const turn = ({ rules, effects }: Pick<Turn, 'rules' | 'effects'>): Turn => ({
    rules,
    effects,
    initiative,
    attacks: foes.attacks,
    combatNotes: foes.notes,
    hp: foes.hp,
  });
  if (initiative.first === 'enemies') foes.act();
  if (foes.hp <= 0) return turn({ rules: fallsBeforeActing(t.sheet.name), effects: NO_EFFECTS() });
  if (
    initiative.first === 'enemies' &&
    cast.note !== undefined &&
    foes.attacks.some((a) => a.hit)
  ) {
    return turn(spellLost(t, state, foes.hp));
  }
  const before = state.enemies.filter((e) => e.status === 'active').map((e) => e.id);
  const acted = arbitrateFull({
    action: t.text,
    sheet: { ...t.sheet, hp: foes.hp },
    target: t.target,
    rng: t.rng,
    critRule: t.critRule,
    ...(t.rangeYards === undefined ? {} : { rangeYards: t.rangeYards }),
    enemies: state.enemies,
  });
  if (initiative.first === 'simultaneous') {
    // everyone standing at the start of the round strikes
    for (const e of state.enemies)
      if (before.includes(e.id) && e.status === 'dead') e.status = 'active';
    const fallen = state.enemies.filter((e) => before.includes(e.id) && e.hp === 0);
    foes.act();
    for (const e of fallen) e.status = 'dead';
  } else if (initiative.first !== 'enemies') foes.act();
  return turn(acted);
}

function fallsBeforeActing(name: string): RulesOutput {
  return {
    action_type: 'dm_call',
    mechanics_result: {
      action_type: 'dm_call',
      reason: `${name} falls before acting: the enemies won the initiative (0 hit points)`,
      notes: [],
    },
    success: false,
    narrative_hints: ['dm_call'],
  };
}

/** A caster hit before the spell is cast loses it (PHB Chapter 9); a refused cast stays refused. */
function spellLost(
  t: TurnInput,
  state: EncounterState,
  hp: number,
): Pick<Turn, 'rules' | 'effects'> {
  const full = arbitrateFull({
    action: t.text,
    sheet: { ...t.sheet, hp },
    target: t.target,
    rng: createRng(0),
    enemies: structuredClone(state.enemies),
  });
  if (full.rules.action_type === 'refused') return { rules: full.rules, effects: NO_EFFECTS() };
  const spell = full.effects.spellUsed;
  return {
    rules: {
      action_type: 'spell',
      mechanics_result: {
        action_type: 'spell',
        ...(spell === undefined ? {} : { spell }),
        known: true,
        refused: 'struck before the spell went off: it is lost from memory',
        sources: ['PHB Chapter 9 (spellcasting and initiative)'],
        notes: ['a caster hit before the spell is cast loses it (PHB Chapter 9)'],
      },
      success: false,
      narrative_hints: ['spell_unknown'],
    },
    effects: { ...NO_EFFECTS(), ...(spell === undefined ? {} : { spellUsed: spell }) },
  };
}
