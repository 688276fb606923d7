import { describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';

const json = (s: string) => JSON.parse(s) as Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('dma ask and the bus (built binary, scratch database)', () => {
  it('"Create a level 7 wizard NPC named Elara" saves a level 7 mage; ≥ 3 messages under one correlation id', async () => {
    const env = scratchEnv();
    const r = await dma(['ask', 'Create a level 7 wizard NPC named Elara', '--json'], { env });
    expect(r.exitCode).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ status: 'success', intent: 'npc.create', entities_created: 1 });
    expect(out.created_entities).toEqual([{ id: expect.any(String), type: 'npc', name: 'Elara' }]);
    const shown = json((await dma(['npc', 'show', 'Elara', '--json'], { env })).stdout);
    expect(shown.entity.data).toMatchObject({ class: 'mage', level: 7 });
    const tail = json(
      (await dma(['bus', 'tail', '--correlation', out.correlation_id, '--json'], { env })).stdout,
    );
    expect(tail.messages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tail.messages.map((m: { correlation_id: string }) => m.correlation_id))).toEqual(
      new Set([out.correlation_id]),
    );
    expect(JSON.stringify(tail)).not.toContain('work_token');
  });

  it('answers THAC0, rolls dice, generates a dungeon and finds NPCs', async () => {
    const env = scratchEnv();
    const thac0 = await dma(['ask', 'What is the THAC0 of a 5th level fighter?'], { env });
    expect(thac0.stdout.split('\n')[0]).toBe('16');
    const roll = json((await dma(['ask', 'Roll 4d6 drop lowest', '--json'], { env })).stdout);
    expect(roll.answer).toBeGreaterThanOrEqual(3);
    expect(roll.answer).toBeLessThanOrEqual(18);
    const dungeon = json(
      (await dma(['ask', 'Generate a small dungeon for a level 3 party', '--json'], { env }))
        .stdout,
    );
    expect(dungeon.intent).toBe('dungeon.generate');
    expect(dungeon.created_entities[0].type).toBe('dungeon');
    expect(dungeon.entities_created).toBe(7); // the dungeon and its 6 rooms
    await dma(['ask', 'Create a level 7 wizard NPC named Elara'], { env });
    const found = json((await dma(['ask', 'Find the NPCs named Elara', '--json'], { env })).stdout);
    expect(found.answer.map((h: { name: string }) => h.name)).toContain('Elara');
    const stats = json((await dma(['bus', 'stats', '--json'], { env })).stdout);
    expect(stats.agents.map((a: { agent: string }) => a.agent)).toEqual(['scribe', 'sma', 'wed']);
  });

  it('below the confidence threshold: exit 3 with example phrasings, nothing written', async () => {
    const env = scratchEnv();
    const r = await dma(['ask', 'what is the weather like'], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('Create a level 7 wizard NPC named Elara');
    expect(json((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
  });

  it('--dry-run shows the classification and the request, publishing nothing', async () => {
    const env = scratchEnv();
    const r = json(
      (
        await dma(
          ['ask', 'Create a level 7 wizard NPC named Elara', '--dry-run', '--seed', '7', '--json'],
          { env },
        )
      ).stdout,
    );
    expect(r).toMatchObject({ status: 'dry-run', intent: 'npc.create', correlation_id: null });
    expect(r.would_publish[0]).toMatchObject({
      type: 'world.npc.generate',
      target: 'wed',
      payload: { class: 'mage', level: 7, name: 'Elara', seed: 7, save: true },
    });
    expect(json((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
  });

  it('npc create leaves its messages on the bus; --no-save and --dry-run leave none', async () => {
    const env = scratchEnv();
    await dma(['npc', 'create', '--seed', '1', '--no-save'], { env });
    await dma(['npc', 'create', '--seed', '1', '--dry-run'], { env });
    expect(json((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
    const created = json(
      (await dma(['npc', 'create', '--count', '3', '--seed', '2', '--json'], { env })).stdout,
    );
    const tail = json((await dma(['bus', 'tail', '--json'], { env })).stdout);
    expect(
      tail.messages
        .map((m: { type: string }) => m.type)
        .filter((t: string) => t === 'entity.store'),
    ).toHaveLength(6);
    const ids = tail.messages
      .filter(
        (m: { type: string; kind: string }) => m.type === 'entity.store' && m.kind === 'response',
      )
      .map((m: { payload: { result: { id: string } } }) => m.payload.result.id);
    expect(ids).toEqual(created.npcs.map((n: { entity_id: string }) => n.entity_id));
    await dma(['dungeon', 'gen', '--rooms', '5', '--seed', '4'], { env });
    const types = json((await dma(['bus', 'tail', '--json'], { env })).stdout).messages.map(
      (m: { type: string }) => m.type,
    );
    expect(types.slice(-4)).toEqual([
      'world.dungeon.generate',
      'entity.store_batch',
      'entity.store_batch',
      'world.dungeon.generate',
    ]);
  });

  it('exports a session that replays identically; a tampered one exits 6 (REPLAY_DIFFERS) with the difference', async () => {
    const env = scratchEnv();
    const asked = json((await dma(['ask', 'Roll 4d6 drop lowest', '--json'], { env })).stdout);
    const replay = await dma(['replay', asked.correlation_id], { env });
    expect(replay.exitCode).toBe(0);
    expect(replay.stdout).toMatch(/^identical: 2 messages of rules.roll/);
    const exported = json((await dma(['bus', 'export', asked.correlation_id], { env })).stdout);
    expect(exported.messages[0].auth.work_token).toBe('redacted');
    const good = await dma(['replay', '--file', 'golden/sessions/elara.session.json', '--json'], {
      env,
    });
    expect(good.exitCode).toBe(0);
    expect(json(good.stdout)).toMatchObject({ identical: true, compared: 4 });
    const bad = await dma(['replay', '--file', 'golden/sessions/elara-tampered.session.json'], {
      env,
    });
    expect(bad.exitCode).toBe(6);
    expect(bad.stdout).toContain('messages[3].payload.result.npcs[0].hit_points');
    expect((await dma(['replay'], { env })).exitCode).toBe(3);
  });

  it('bus dead, retry and trim on a fresh campaign', async () => {
    const env = scratchEnv();
    expect((await dma(['bus', 'dead'], { env })).stdout.trim()).toBe('no dead letters');
    expect((await dma(['bus', 'retry', '7'], { env })).exitCode).toBe(4);
    await dma(['ask', 'Roll 2d6', '--seed', '1'], { env });
    const trimmed = json(
      (await dma(['bus', 'trim', '--keep', '1', '--yes', '--json'], { env })).stdout,
    );
    expect(trimmed.deleted.messages).toBe(1);
  });
});
