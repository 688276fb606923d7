/**
 * `dma action` end to end: the golden message, each outcome (seeds found by trying seeds
 * and pinned here), invalid sheets, the LLM-failure fallback, --save on a stored pc, and the
 * three agents' outputs against their contracts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  narrativeOutputSchema,
  rulesOutputSchema,
  synthesizerOutputSchema,
} from '../../src/contracts/action.ts';
import { dma, repoRoot, scratchEnv } from '../helpers/dma.ts';

const SHEET = 'golden/pc-fighter.yaml';
const ATTACK = 'I attack the goblin with my sword';

async function actJson(text: string, ...args: string[]) {
  const r = await dma(['action', text, '--character', SHEET, ...args, '--json'], {
    env: scratchEnv(),
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('dma action', () => {
  it('prints the golden message, byte for byte, on every run with seed 7', async () => {
    const args = ['action', ATTACK, '--character', SHEET, '--target-ac', '6', '--seed', '7'];
    const golden = readFileSync(join(repoRoot, 'golden', 'action-attack-seed7.md'), 'utf8');
    for (let i = 0; i < 2; i++) {
      const r = await dma([...args, '--adapter', 'mock'], { env: scratchEnv() });
      expect(r.exitCode, r.stderr).toBe(0);
      // execa strips the final newline
      expect(`${r.stdout}\n`).toBe(golden);
    }
    expect(golden).toMatch(/^🎲 \*\*Attack\*\* \[🎲 .+\] ✅ Hit!\n💔 \*\*Damage:\*\* \d+ HP\n\n/);
    expect(golden).toContain('❤️ **HP:** 38/42\n📍 **Location:** goblin_cave');
  });

  it("JSON holds the three agents' outputs, each valid against its contract", async () => {
    const doc = await actJson(ATTACK, '--target-ac', '6', '--seed', '7');
    expect(rulesOutputSchema.safeParse(doc.rules_output).error).toBeUndefined();
    expect(narrativeOutputSchema.safeParse(doc.narrative_output).error).toBeUndefined();
    expect(synthesizerOutputSchema.safeParse(doc.synthesizer_output).error).toBeUndefined();
    expect(doc.final_message).toBe(doc.synthesizer_output.final_message);
    expect(doc.rules_output.mechanics_result).toMatchObject({
      weapon: 'long sword',
      thac0: 16,
      needed: 10,
      target: 'goblin',
      target_ac_source: 'option',
    });
  });

  it('attack hit and miss', async () => {
    const hit = await actJson(ATTACK, '--target-ac', '6', '--seed', '1');
    expect(hit.rules_output.success).toBe(true);
    expect(hit.final_message).toMatch(/✅ Hit!\n💔 \*\*Damage:\*\* \d+ HP/);
    const miss = await actJson(ATTACK, '--target-ac', '6', '--seed', '13');
    expect(miss.rules_output.success).toBe(false);
    expect(miss.final_message).toContain('❌ Miss!');
    expect(miss.final_message).not.toContain('Damage');
  });

  it('natural 20: 💥, and double damage dice with --crit-rule double-damage', async () => {
    const plain = await actJson(ATTACK, '--target-ac', '6', '--seed', '11');
    expect(plain.rules_output.mechanics_result.attack_roll.rolls).toEqual([20]);
    expect(plain.rules_output.mechanics_result.attack_roll.is_critical).toBe(true);
    expect(plain.rules_output.mechanics_result.damage_roll.dice).toBe('1d8');
    expect(plain.final_message).toContain('💥 ✅ Hit!');
    const doubled = await actJson(
      ATTACK,
      '--target-ac',
      '6',
      '--seed',
      '11',
      '--crit-rule',
      'double-damage',
    );
    expect(doubled.rules_output.mechanics_result.damage_roll.dice).toBe('2d8');
    expect(doubled.rules_output.narrative_hints).toContain('critical_hit');
  });

  it('natural 1: a miss with the fumble hint; with double-damage it misses even AC 10', async () => {
    const r = await actJson(
      ATTACK,
      '--target-ac',
      '10',
      '--seed',
      '12',
      '--crit-rule',
      'double-damage',
    );
    expect(r.rules_output.mechanics_result.attack_roll.rolls).toEqual([1]);
    expect(r.rules_output.success).toBe(false);
    expect(r.rules_output.narrative_hints).toContain('fumble');
    expect(r.final_message).toContain('❌ Miss! 💔');
  });

  it('saving throw vs poison and a Strength check', async () => {
    const save = await actJson('I try to resist the poison', '--seed', '2');
    expect(save.rules_output.mechanics_result).toMatchObject({
      action_type: 'save',
      category: 'paralyzation',
      needed: 11,
      success: true,
    });
    const failed = await actJson('I try to resist the poison', '--seed', '1');
    expect(failed.rules_output.success).toBe(false);
    // lifting a portcullis is Bend Bars/Lift Gates: PHB Table 1, 13% at Strength 17
    const lift = await actJson('I try to lift the portcullis', '--seed', '9');
    expect(lift.rules_output.mechanics_result).toMatchObject({
      action_type: 'strength_feat',
      feat: 'bend_bars',
      strength: '17',
      chance: 13,
      die: 'd100',
    });
    expect(lift.rules_output.success).toBe(
      lift.rules_output.mechanics_result.feat_roll.total <= 13,
    );
    const check = await actJson('I try to keep my balance on the ledge', '--seed', '9');
    expect(check.rules_output.mechanics_result).toMatchObject({
      action_type: 'ability_check',
      ability: 'dex',
      score: 14,
    });
    expect(check.final_message).toContain('**Dexterity check**');
  });

  it("actions no roll resolves are the DM's call: no roll, no invented success", async () => {
    const r = await actJson('I whistle a tune and wait', '--seed', '1');
    expect(r.rules_output).toMatchObject({
      action_type: 'dm_call',
      mechanics_result: { action_type: 'dm_call' },
      success: false,
      narrative_hints: ['dm_call'],
    });
    expect(r.final_message).not.toContain('🎲');
    expect(r.final_message).toContain("DM's call");
  });

  it('Russian: the goblin from the rules data (AC 6, small), narration in the second person', async () => {
    const r = await actJson('Я атакую гоблина мечом', '--seed', '7', '--lang', 'ru');
    expect(r.rules_output.mechanics_result).toMatchObject({
      target: 'goblin',
      target_ac: 6,
      target_ac_source: 'monster',
      target_size: 'S',
    });
    expect(r.narrative_output.narrative).toMatch(/(^|\s)(Ты|ты|Твой|твоё|твой)/);
    expect(r.final_message).toContain('**Атака**');
  });

  it('a sheet that breaks a rule exits 3 naming the field', async () => {
    const env = scratchEnv();
    const bad = join(env.HOME!, 'bad.json');
    const sheet = {
      name: 'Mira',
      class: 'mage',
      level: 3,
      abilities: { str: 18, str_exceptional: 50, dex: 14, con: 12, int: 17, wis: 10, cha: 11 },
      hp: 9,
      max_hp: 8,
      armor_class: 10,
      gold: 5,
      inventory: [],
      xp: 5000,
    };
    writeFileSync(bad, JSON.stringify(sheet));
    const r = await dma(['action', ATTACK, '--character', bad], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/invalid character sheet .*: (hp|abilities\.str_exceptional):/);
    writeFileSync(
      bad,
      JSON.stringify({
        ...sheet,
        hp: 5,
        abilities: { ...sheet.abilities, str_exceptional: undefined, dex: 26 },
      }),
    );
    const r2 = await dma(['action', ATTACK, '--character', bad], { env });
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toContain('abilities.dex');
  });

  it('an LLM failure (openai without a key) gives the mechanics, the fallback and exit 12', async () => {
    const r = await dma(
      [
        'action',
        ATTACK,
        '--character',
        SHEET,
        '--target-ac',
        '6',
        '--seed',
        '1',
        '--adapter',
        'openai',
      ],
      { env: scratchEnv() },
    );
    expect(r.exitCode).toBe(12);
    expect(r.stdout).toContain('✅ Hit!');
    expect(r.stdout).toContain('❌ Sorry, something went wrong while resolving the action.');
    expect(r.stderr).toContain('OPENAI_API_KEY is not set');
    const j = await dma(['action', ATTACK, '--character', SHEET, '--adapter', 'openai', '--json'], {
      env: scratchEnv(),
    });
    expect(j.exitCode).toBe(12);
    expect(JSON.parse(j.stdout).error.code).toBe('LLM_ERROR');
  });

  it('--adapter claude is the anthropic adapter, as on audit and explain', async () => {
    const shown = await actJson(ATTACK, '--adapter', 'claude', '--show-prompt');
    expect(shown.adapter).toBe('anthropic');
    expect(shown.prompt.user).toContain('goblin');
    const env = { ...scratchEnv(), ANTHROPIC_API_KEY: '' };
    const r = await dma(['action', ATTACK, '--character', SHEET, '--adapter', 'claude'], { env });
    expect(r.exitCode).toBe(12);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY is not set');
  });

  it('--save writes a cure to a stored pc and uses up the memorised copy', async () => {
    const env = scratchEnv();
    const data = readFileSync(join(repoRoot, 'test/fixtures/pc-cleric.yaml'), 'utf8');
    const created = await dma(
      ['entity', 'create', '--type', 'pc', '--name', 'Oswin', '--data', '-', '--json'],
      { env, input: data },
    );
    expect(created.exitCode, created.stderr).toBe(0);
    const cure = 'I cast cure light wounds on myself';
    const dry = await dma(
      ['action', cure, '-c', 'Oswin', '--seed', '4', '--save', '--dry-run', '--json'],
      {
        env,
      },
    );
    expect(dry.exitCode, dry.stderr).toBe(0);
    const d = JSON.parse(dry.stdout);
    expect(d.saved).toBe(false);
    const healed = d.rules_output.mechanics_result.total_healing;
    expect(healed).toBeGreaterThanOrEqual(1);
    expect(healed).toBeLessThanOrEqual(8);
    expect(d.hp_after).toBe(Math.min(30, 20 + healed));
    expect(d.rules_output.mechanics_result.memorised_left).toBe(1);
    const r = await dma(['action', cure, '-c', 'Oswin', '--seed', '4', '--save', '--json'], {
      env,
    });
    const saved = JSON.parse(r.stdout);
    expect(saved.saved).toBe(true);
    expect(saved.entity_version).toBe(2);
    const shown = JSON.parse((await dma(['entity', 'show', 'Oswin', '--json'], { env })).stdout);
    expect(shown.entity.data.hp).toBe(d.hp_after);
    expect(shown.entity.data.spells).toEqual(['cure light wounds', 'bless', 'hold person']);
  });

  it('the issue-14 repros: the right mechanics, the PHB table cited in --explain, en and ru', async () => {
    const thief = 'test/fixtures/pc-thief.yaml';
    const cases: [string, string, string, number, RegExp][] = [
      ['I pick the lock on the chest', thief, 'thief_skill', 0, /PHB Table 26/],
      ['I climb the wall', thief, 'thief_skill', 0, /PHB Table 29/],
      ['I try to bend the bars', thief, 'strength_feat', 0, /PHB Table 1\b/],
      ["I save against the dragon's breath", SHEET, 'save', 0, /PHB Table 60/],
      ['I throw my dagger at the orc at 20 yards', SHEET, 'attack', 0, /PHB Table 45/],
      ['I cast fireball at the orcs', 'test/fixtures/pc-mage.yaml', 'refused', 3, /./],
      ['I shoot my bow at the orc', SHEET, 'refused', 3, /./],
      ['I eat the moon and become a teapot', SHEET, 'refused', 3, /./],
    ];
    for (const lang of ['en', 'ru']) {
      for (const [text, sheet, type, exit, cited] of cases) {
        const r = await dma(
          ['action', text, '-c', sheet, '--seed', '5', '--explain', '--lang', lang, '--json'],
          { env: scratchEnv() },
        );
        expect(r.exitCode, `${lang} ${text}: ${r.stderr}`).toBe(exit);
        const doc = JSON.parse(r.stdout);
        expect(doc.rules_output.action_type, text).toBe(type);
        if (type !== 'refused') {
          expect(doc.explain.join('\n'), `${lang} ${text}`).toMatch(cited);
          expect(doc.final_message).toContain(
            lang === 'en' ? 'How it was decided' : 'Как это решено',
          );
        } else {
          expect(doc.rules_output.success).toBe(false);
          expect(doc.final_message).toContain(lang === 'en' ? 'Refused' : 'Отказ');
        }
      }
    }
    // Bend Bars at Strength 11 is 2%, on d100
    const bend = await actJson('I try to bend the bars', '--seed', '5');
    expect(bend.rules_output.mechanics_result.chance).toBe(13); // Brannoc: Strength 17
    const pip = await dma(
      ['action', 'I try to bend the bars', '-c', thief, '--seed', '5', '--json'],
      {
        env: scratchEnv(),
      },
    );
    expect(JSON.parse(pip.stdout).rules_output.mechanics_result).toMatchObject({
      chance: 2,
      die: 'd100',
    });
  });
});
