/**
 * The action pipeline in process: every offline narration template passes the full
 * `narrate-action` workflow (schema + guardrails) through runWorkflow, and the DiceRoll
 * contract's rules hold for the arbiter's rolls.
 */
import { describe, expect, it } from 'vitest';
import { classifyAction, chooseWeapon } from '../../src/agents/action/arbiter.ts';
import { TEMPLATES, type Outcome } from '../../src/agents/action/narration.ts';
import { diceRollSchema } from '../../src/contracts/action.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  createGateway,
  loadCompiledRegistries,
  MockAdapter,
  runWorkflow,
} from '../../src/llm/index.ts';
import { rollDice } from '../../src/rules/dice.ts';

describe('action arbiter', () => {
  it('classifies by table-driven patterns, English and Russian', () => {
    expect(classifyAction('I attack the goblin with my sword')).toBe('attack');
    expect(classifyAction('Я атакую гоблина мечом')).toBe('attack');
    expect(classifyAction('I cast magic missile at the orc')).toBe('spell');
    expect(classifyAction('I try to resist the poison')).toBe('save');
    expect(classifyAction('I try to lift the portcullis')).toBe('strength_feat');
    expect(classifyAction('I try to bend the bars')).toBe('strength_feat');
    expect(classifyAction('I shoulder the stuck door')).toBe('strength_feat');
    expect(classifyAction('I try to keep my balance')).toBe('ability_check');
    expect(classifyAction('I pick the lock on the chest')).toBe('thief_skill');
    expect(classifyAction('I climb the wall')).toBe('thief_skill');
    expect(classifyAction('I turn the skeletons')).toBe('turn_undead');
    expect(classifyAction('I whistle a tune')).toBe('dm_call');
    expect(classifyAction('I eat the moon and become a teapot')).toBe('refused');
  });

  it('chooses the weapon from the text, then the inventory, else unarmed', () => {
    expect(chooseWeapon('I swing my sword', ['dagger', 'long sword']).name).toBe('long sword');
    expect(chooseWeapon('I stab with the dagger', ['long sword']).name).toBe('dagger');
    expect(chooseWeapon('I attack', ['rope', 'short bow']).launcher).toBe(true);
    expect(chooseWeapon('I attack', ['rope']).name).toBe('unarmed');
    expect(chooseWeapon('I shoot my bow', ['long sword']).missing).toBe('bow');
    expect(chooseWeapon('I shoot my bow', ['long bow', 'long sword']).name).toBe('long bow');
    expect(
      chooseWeapon('I swing my sword and dagger', ['dagger', 'long sword']).all?.map((w) => w.name),
    ).toEqual(['long sword', 'dagger']);
  });
});

describe('DiceRoll contract', () => {
  it('accepts rolls from rollDice and rejects a wrong total or a false critical', () => {
    const rng = createRng(5);
    for (const n of ['1d20', '2d8+1', '2d20kh1', '4d6dl1']) {
      expect(diceRollSchema.safeParse(rollDice(n, rng)).error).toBeUndefined();
    }
    const r = rollDice('1d20', createRng(11).fork());
    expect(diceRollSchema.safeParse({ ...r, total: r.total + 1 }).success).toBe(false);
    expect(
      diceRollSchema.safeParse({
        notation: 'd20',
        dice: '1d20',
        rolls: [7],
        modifier: 0,
        total: 7,
        is_critical: true,
      }).success,
    ).toBe(false);
  });
});

describe('offline narration templates', () => {
  it('every template, in English and Russian, passes the narrate-action workflow', async () => {
    const registries = await loadCompiledRegistries();
    for (const lang of ['en', 'ru'] as const) {
      for (const [outcome, list] of Object.entries(TEMPLATES[lang]) as [Outcome, string[]][]) {
        for (const template of list) {
          const narrative = template
            .replaceAll('{target}', 'the goblin')
            .replaceAll('{weapon}', 'your long sword');
          const mock = new MockAdapter().enqueue({
            output: {
              narrative,
              game_state_updates: {
                in_combat: false,
                enemies: [],
                combat_ended: false,
                enemy_attacks: [],
              },
            },
          });
          const r = await runWorkflow(
            mock,
            { workflow: 'narrate-action', input: { action: 'test', outcome: { outcome }, lang } },
            registries,
            {
              gateway: createGateway({ noCache: true, noLog: true }),
              maxFollowUps: 0,
              maxRetries: 0,
            },
          );
          expect(r.status, `${lang}/${outcome}: ${narrative} — ${r.error_message}`).toBe(
            'completed',
          );
          expect(r.warnings, `${lang}/${outcome}: ${narrative}`).toEqual([]);
        }
      }
    }
  });
});
