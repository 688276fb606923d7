/**
 * A fight that lasts (issue 14): `combat start` three goblins, five rounds of `dma action`
 * against them, `combat status`, `combat end` with XP — through the real binary, twice on
 * fresh campaigns with the same seed, and the two runs must agree byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dma, repoRoot, scratchEnv } from '../helpers/dma.ts';

const SHEET = 'golden/pc-fighter.yaml';
const SWING = 'I attack the goblin with my sword';

/* eslint-disable @typescript-eslint/no-explicit-any */
async function json(args: string[], env: Record<string, string>, exit = 0): Promise<any> {
  const r = await dma([...args, '--json'], { env });
  expect(r.exitCode, r.stderr).toBe(exit);
  return JSON.parse(r.stdout);
}

async function fight(env: Record<string, string>) {
  const start = await json(['combat', 'start', '3 goblins', '-c', SHEET, '--seed', '8'], env);
  const rounds: any[] = [];
  for (let i = 0; i < 5; i++) rounds.push(await json(['action', SWING, '-c', SHEET], env));
  const status = await json(['combat', 'status'], env);
  const end = await json(['combat', 'end'], env);
  return { start, rounds, status, end };
}

describe('dma combat', () => {
  it('three goblins, five rounds through dma action, to the end — replayable from the seed', async () => {
    const a = await fight(scratchEnv());
    // the start: the catalogue's goblins (MM: 1-1 HD, AC 6, THAC0 20, 15 XP), hp 1d8-1 (min 1)
    expect(a.start.enemies).toHaveLength(3);
    for (const e of a.start.enemies) {
      expect(e).toMatchObject({ name: 'goblin', ac: 6, thac0: 20, xp: 15, status: 'active' });
      expect(e.hp).toBeGreaterThanOrEqual(1);
      expect(e.hp).toBeLessThanOrEqual(7);
    }
    expect(a.start.initiative.party.dice).toBe('1d10');
    expect(a.start.initiative.enemies.dice).toBe('1d10');

    // every round: a round counter, an initiative, the goblins' rolled answers only
    let hp = 38;
    let enemyHp = Object.fromEntries(a.start.enemies.map((e: any) => [e.id, e.hp]));
    a.rounds.forEach((r, i) => {
      expect(r.combat.round).toBe(i + 1);
      expect(r.combat.encounter_id).toBe(a.start.encounter_id);
      const attack = r.rules_output.mechanics_result;
      expect(attack.action_type).toBe('attack');
      expect(attack.needed).toBe(16 - 6); // THAC0 16 (fighter 5) − AC 6
      if (attack.hit) {
        enemyHp[attack.target] = Math.max(0, enemyHp[attack.target] - attack.total_damage);
      }
      for (const e of r.combat.enemies) expect(e.hp).toBe(enemyHp[e.id]);
      // each goblin standing attacks: THAC0 20 − AC 4 = 16
      for (const x of r.combat.enemy_attacks) {
        expect(x.needed).toBe(16);
        expect(x.hit).toBe(x.attack_roll.total >= 16);
        hp -= x.damage;
      }
      expect(r.hp_after).toBe(hp);
      // narration is only of what was rolled
      expect(r.narrative_output.game_state_updates.enemy_attacks).toEqual(
        r.combat.enemy_attacks.map((x: any) => ({ attacker: x.attacker, damage: x.damage })),
      );
      if (r.combat.enemy_attacks.length === 0) {
        expect(r.narrative_output.narrative).not.toMatch(/strikes at you|lashes out/);
      }
      enemyHp = Object.fromEntries(r.combat.enemies.map((e: any) => [e.id, e.hp]));
    });
    const last = a.rounds[4];
    expect(last.combat.ended).toBe(true);
    expect(last.combat.outcome).toBe('victory');
    expect(last.narrative_output.game_state_updates.combat_ended).toBe(true);

    expect(a.status.round).toBe(5);
    expect(a.status.log).toHaveLength(5);
    expect(a.end.status).toBe('ended');
    expect(a.end.xp).toEqual({
      total: 45,
      per_character: 45,
      defeated: ['goblin-1', 'goblin-2', 'goblin-3'],
    });

    // the same seed on a fresh campaign: the same fight, byte for byte
    const b = await fight(scratchEnv());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 120_000);

  it('one fight at a time; status and end without one exit 4; unknown monsters exit 3', async () => {
    const env = scratchEnv();
    expect((await dma(['combat', 'status'], { env })).exitCode).toBe(4);
    expect((await dma(['combat', 'end'], { env })).exitCode).toBe(4);
    const bad = await dma(['combat', 'start', '2 gobblins', '-c', SHEET], { env });
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toContain('did you mean "goblin"');
    await json(['combat', 'start', 'goblin x2 and an orc', '-c', SHEET, '--seed', '1'], env);
    const again = await dma(['combat', 'start', 'orc', '-c', SHEET], { env });
    expect(again.exitCode).toBe(5);
    const s = await json(['combat', 'status'], env);
    expect(s.enemies.map((e: any) => e.id)).toEqual(['goblin-1', 'goblin-2', 'orc-1']);
    // a refusal takes no round
    const r = await dma(['action', 'I attack the troll', '-c', SHEET, '--json'], { env });
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout).rules_output.mechanics_result.reason).toContain('no troll');
    expect((await json(['combat', 'status'], env)).round).toBe(0);
  }, 60_000);

  it('spells in a fight: sleep takes the fewest Hit Dice first and the slot is used', async () => {
    const env = scratchEnv();
    const mage = 'test/fixtures/pc-mage.yaml';
    await json(['combat', 'start', '3 goblins and a gnoll', '-c', mage, '--seed', '3'], env);
    const r = await json(['action', 'I cast sleep on them', '-c', mage], env);
    const m = r.rules_output.mechanics_result;
    expect(m).toMatchObject({ action_type: 'spell', spell: 'sleep', memorised_left: 0 });
    const slept = m.targets.filter((t: any) => /asleep/.test(t.effect)).length;
    // 2d4 Hit Dice: goblins (1 HD each) before the gnoll (2 HD)
    const rolled = m.damage_roll.total;
    const goblins = Math.min(3, rolled);
    const gnoll = rolled - goblins >= 2 ? 1 : 0;
    expect(slept).toBe(goblins + gnoll);
    // the memorised copy is gone for the rest of the fight
    const again = await dma(['action', 'I cast sleep on them', '-c', mage, '--json'], { env });
    expect(again.exitCode).toBe(3);
    expect(JSON.parse(again.stdout).rules_output.mechanics_result.reason).toContain(
      'not memorised',
    );
  }, 60_000);

  it('a stored pc: combat end writes its XP and hit points in the same transaction', async () => {
    const env = scratchEnv();
    const data = readFileSync(join(repoRoot, SHEET), 'utf8');
    const created = await dma(
      ['entity', 'create', '--type', 'pc', '--name', 'Brannoc', '--data', '-', '--json'],
      { env, input: data },
    );
    expect(created.exitCode, created.stderr).toBe(0);
    await json(['combat', 'start', 'a goblin', '-c', 'Brannoc', '--seed', '2'], env);
    let last: any;
    for (let i = 0; i < 12; i++) {
      last = await json(['action', SWING, '-c', 'Brannoc'], env);
      if (last.combat.ended) break;
    }
    expect(last.combat.outcome).toBe('victory');
    const dry = await json(['combat', 'end', '--dry-run'], env);
    expect(dry.xp.total).toBe(15);
    expect((await json(['entity', 'show', 'Brannoc'], env)).entity.data.xp).toBe(12000);
    const end = await json(['combat', 'end'], env);
    expect(end.xp).toEqual({ total: 15, per_character: 15, defeated: ['goblin-1'] });
    const pc = (await json(['entity', 'show', 'Brannoc'], env)).entity;
    expect(pc.data.xp).toBe(12015);
    expect(pc.data.hp).toBe(last.hp_after);
    expect(pc.version).toBe(2);
  }, 60_000);
});
