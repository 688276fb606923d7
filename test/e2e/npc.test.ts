import { describe, expect, it } from 'vitest';
import { npcDataSchema } from '../../src/contracts/entities.ts';
import { npcRecord, type Npc } from '../../src/generators/npc/index.ts';
import { checkNpcLegality } from '../../src/rules/legality.ts';
import { dma, scratchEnv } from '../helpers/dma.ts';

describe('dma npc (built binary, scratch database)', () => {
  it('creates a seeded, legal NPC, identical on every run', async () => {
    const env = scratchEnv();
    const args = [
      'npc',
      'create',
      '--class',
      'mage',
      '--level',
      '7',
      '--name',
      'Elara',
      '--seed',
      '7',
      '--no-save',
      '--json',
    ];
    const a = await dma(args, { env });
    const b = await dma(args, { env });
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const npc = JSON.parse(a.stdout).npcs[0];
    expect(npc).toMatchObject({ name: 'Elara', class: 'mage', level: 7, seed: 7, entity_id: null });
    const { entity_id: _id, name: _n, ...data } = npc;
    expect(npcDataSchema.safeParse(data).success).toBe(true);
    expect(checkNpcLegality(npc).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('a big saved batch (made on the generator thread) holds and prints the NPCs an unsaved run makes', async () => {
    const env = scratchEnv();
    const args = ['npc', 'create', '--count', '2100', '--seed', '4', '--json'];
    const saved = JSON.parse((await dma(args, { env })).stdout);
    const unsaved = JSON.parse((await dma([...args, '--no-save'], { env })).stdout);
    expect(saved.saved).toBe(true);
    const strip = ({ entity_id: _id, ...n }: Npc & { entity_id: string | null }) => n;
    expect(saved.npcs.map(strip)).toEqual(unsaved.npcs.map(strip));
    const exported = JSON.parse((await dma(['entity', 'export', '--type', 'npc'], { env })).stdout);
    const byId = new Map<string, { name: string; data: unknown }>(
      exported.entities.map((e: { id: string }) => [e.id, e]),
    );
    expect(byId.size).toBe(2100);
    for (const i of [0, 499, 500, 1999, 2000, 2099]) {
      const e = byId.get(saved.npcs[i].entity_id)!;
      expect({ name: e.name, data: e.data }).toEqual(npcRecord(strip(unsaved.npcs[i])));
    }
  });

  it('a big saved batch prints the summary lines an unsaved run prints (kept from the generator thread)', async () => {
    const env = scratchEnv();
    const args = ['npc', 'create', '--count', '2100', '--seed', '6'];
    const lines = (out: string, id: RegExp) =>
      out
        .trimEnd()
        .split('\n')
        .map((l) => l.replace(id, '<id>'));
    const saved = lines((await dma(args, { env })).stdout, /^[0-9a-f-]{36}/);
    const unsaved = lines((await dma([...args, '--no-save'], { env })).stdout, /^\(not saved\)/);
    // the text shows the first 50 (made on the generator thread: 2,000 or more) and a count
    expect(saved.filter((l) => l.startsWith('<id>  '))).toHaveLength(50);
    expect(saved).toEqual(unsaved);
  });

  it('saves NPCs, lists, shows (with the roll log) and deletes them', async () => {
    const env = scratchEnv();
    const created = JSON.parse(
      (await dma(['npc', 'create', '--count', '20', '--seed', '3', '--json'], { env })).stdout,
    );
    expect(created.npcs).toHaveLength(20);
    expect(created.saved).toBe(true);
    const list = JSON.parse(
      (await dma(['npc', 'list', '--limit', '100', '--json'], { env })).stdout,
    );
    expect(list.total).toBe(20);
    const first = created.npcs[0];
    const shown = await dma(['npc', 'show', first.entity_id, '--explain'], { env });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain(first.name);
    expect(shown.stdout).toContain('Roll log:');
    expect(shown.stdout).toMatch(/THAC0 \d+/);
    const del = await dma(['npc', 'delete', first.entity_id, '--yes', '--json'], { env });
    expect(JSON.parse(del.stdout).deleted.id).toBe(first.entity_id);
    expect(JSON.parse((await dma(['npc', 'list', '--json'], { env })).stdout).total).toBe(19);
    expect((await dma(['npc', 'show', first.entity_id], { env })).exitCode).toBe(4);
  });

  it('refuses impossible combinations with the rule, saving nothing', async () => {
    const env = scratchEnv();
    const paladin = await dma(['npc', 'create', '--race', 'halfling', '--class', 'paladin'], {
      env,
    });
    expect(paladin.exitCode).toBe(3);
    expect(paladin.stderr).toMatch(/halfling cannot be a paladin/);
    const limit = await dma(
      ['npc', 'create', '--race', 'halfling', '--class', 'fighter', '--level', '12'],
      { env },
    );
    expect(limit.exitCode).toBe(3);
    expect(limit.stderr).toMatch(/cannot rise above level 9/);
    const typo = await dma(['npc', 'create', '--class', 'wizrd'], { env });
    expect(typo.exitCode).toBe(3);
    expect(typo.stderr).toMatch(/did you mean/);
    expect(JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
  });

  it('--dry-run validates against the store and writes nothing', async () => {
    const env = scratchEnv();
    const r = await dma(['npc', 'create', '--count', '3', '--seed', '1', '--dry-run', '--json'], {
      env,
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).saved).toBe(false);
    expect(JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
  });
});
