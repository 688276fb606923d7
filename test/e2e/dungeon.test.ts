import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';

describe('dma dungeon (built binary, scratch database)', () => {
  it('same seed and options give the same bytes', async () => {
    const env = scratchEnv();
    const args = [
      'dungeon',
      'gen',
      '--rooms',
      '10',
      '--level',
      '3',
      '--seed',
      '99',
      '--no-save',
      '--json',
    ];
    const a = await dma(args, { env });
    const b = await dma(args, { env });
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc).toMatchObject({
      schema_version: '2.0',
      seed: 99,
      entity_id: null,
      checks: { no_overlap: true, all_reachable: true, doors_valid: true },
    });
    expect(doc.rooms).toHaveLength(10);
    const other = await dma(
      ['dungeon', 'gen', '--rooms', '10', '--level', '3', '--seed', '100', '--no-save', '--json'],
      { env },
    );
    expect(other.stdout).not.toBe(a.stdout);
  });

  it('saves the dungeon with its rooms linked, and shows it again', async () => {
    const env = scratchEnv();
    const r = await dma(['dungeon', 'gen', '--size', 'small', '--seed', '5', '--json'], { env });
    expect(r.exitCode).toBe(0);
    const id = JSON.parse(r.stdout).entity_id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const info = JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout);
    expect(info.counts).toEqual({ dungeon: 1, room: 6 });
    expect(info.relationships).toBe(6);
    const list = JSON.parse((await dma(['dungeon', 'list', '--json'], { env })).stdout);
    expect(list.entities[0].id).toBe(id);
    const shown = await dma(['dungeon', 'show', id, '--map', 'ascii'], { env });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/1\.\.\./);
    expect(shown.stdout).toContain('# wall');
    const report = await dma(['dungeon', 'show', id], { env });
    expect(report.stdout).toContain('Wandering monsters');
    expect((await dma(['dungeon', 'show', 'nowhere'], { env })).exitCode).toBe(4);
  });

  it('--dry-run and --no-save write nothing', async () => {
    const env = scratchEnv();
    expect(
      (await dma(['dungeon', 'gen', '--rooms', '4', '--seed', '1', '--dry-run'], { env })).exitCode,
    ).toBe(0);
    expect(
      (await dma(['dungeon', 'gen', '--rooms', '4', '--seed', '1', '--no-save'], { env })).exitCode,
    ).toBe(0);
    const info = JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout);
    expect(info.exists).toBe(false);
  });

  it('prints maps, NDJSON and the watabou export; writes PNG to a file', async () => {
    const env = scratchEnv();
    const svg = await dma(
      ['dungeon', 'gen', '--rooms', '6', '--seed', '3', '--no-save', '--map', 'svg'],
      { env },
    );
    expect(svg.stdout.startsWith('<svg')).toBe(true);
    const svgJson = await dma(
      ['dungeon', 'gen', '--rooms', '6', '--seed', '3', '--no-save', '--map', 'svg', '--json'],
      { env },
    );
    expect(svgJson.stdout).toBe(svg.stdout);
    const stream = await dma(
      ['dungeon', 'gen', '--rooms', '4', '--seed', '3', '--no-save', '--stream'],
      { env },
    );
    const events = stream.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toEqual([
      'layout',
      'room',
      'room',
      'room',
      'room',
      'summary',
    ]);
    const w = JSON.parse(
      (
        await dma(
          ['dungeon', 'gen', '--rooms', '4', '--seed', '3', '--no-save', '--export', 'watabou'],
          { env },
        )
      ).stdout,
    );
    expect(w.rects.length).toBeGreaterThanOrEqual(4);
    const file = join(env['HOME']!, 'map.png');
    const png = await dma(
      ['dungeon', 'gen', '--rooms', '6', '--seed', '3', '--no-save', '--map', 'png', '-o', file],
      { env },
    );
    expect(png.exitCode).toBe(0);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect((await dma(['dungeon', 'gen', '--map', 'png', '--no-save'], { env })).exitCode).toBe(3);
  });

  it('rejects impossible options with exit 3 and saves nothing', async () => {
    const env = scratchEnv();
    for (const args of [
      ['--rooms', '0'],
      ['--rooms', '100000'],
      ['--level', '11'],
      ['--theme', 'moon'],
      ['--party-size', '0'],
      ['--key-room', 'lair:hil giant'],
      ['--key-room', ':ogre'],
    ]) {
      const r = await dma(['dungeon', 'gen', ...args], { env });
      expect(r.exitCode, args.join(' ')).toBe(3);
      expect(r.stderr.split('\n')[0]).toMatch(/^dma: /);
    }
    expect(JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
    const bad = await dma(['dungeon', 'gen', '--key-room', 'lair:hil giant'], { env });
    expect(bad.stderr).toContain('unknown monster "hil giant" — did you mean "hill giant"');
  });

  it('--brief reads party, theme and set pieces from a file; the command line wins', async () => {
    const env = scratchEnv();
    const r = await dma(
      [
        'dungeon',
        'gen',
        '--brief',
        'examples/dungeon-brief.yaml',
        '--seed',
        '2',
        '--no-save',
        '--json',
      ],
      { env },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.options).toMatchObject({ level: 3, party_level: 3, party_size: 5, theme: 'warren' });
    expect(doc.options.key_rooms.map((k: { name: string }) => k.name)).toEqual([
      'throne room',
      'shrine of the tribe',
      'pit of the captive',
    ]);
    const pit = doc.rooms.find(
      (x: { contents: { set_piece?: string } }) => x.contents.set_piece === 'pit of the captive',
    );
    expect(pit.contents.monsters[0].name).toBe('carrion crawler');
    const over = await dma(
      [
        'dungeon',
        'gen',
        '--brief',
        'examples/dungeon-brief.yaml',
        '--party-size',
        '3',
        '--theme',
        'crypt',
        '--no-save',
        '--json',
      ],
      { env },
    );
    expect(JSON.parse(over.stdout).options).toMatchObject({ party_size: 3, theme: 'crypt' });
    const dir = mkdtempSync(join(tmpdir(), 'dma-brief-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'levle: 3\n');
    const b = await dma(['dungeon', 'gen', '--brief', bad, '--no-save'], { env });
    expect(b.exitCode).toBe(3);
    expect(b.stderr).toContain('unknown field "levle" — did you mean "level"?');
    writeFileSync(bad, 'key_rooms: ["lair:beholdr"]\n');
    expect((await dma(['dungeon', 'gen', '--brief', bad, '--no-save'], { env })).exitCode).toBe(3);
    expect(
      (await dma(['dungeon', 'gen', '--brief', join(dir, 'none.yaml')], { env })).exitCode,
    ).toBe(3);
  });

  it('--key-room and --party-size reach the key, saved through the bus as well', async () => {
    const env = scratchEnv();
    const args = ['dungeon', 'gen', '--size', 'small', '--level', '4', '--party-size', '6'];
    const key = ['--key-room', 'throne room:ogre', '--key-room', 'shrine', '--seed', '3'];
    const r = await dma([...args, ...key, '--json'], { env });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.options).toMatchObject({
      party_size: 6,
      key_rooms: [{ name: 'throne room', monster: 'ogre' }, { name: 'shrine' }],
    });
    expect(doc.difficulty.room_budget_xp).toBe(120 * 6);
    const throne = doc.rooms.find(
      (x: { contents: { set_piece?: string } }) => x.contents.set_piece === 'throne room',
    );
    expect(throne.contents.monsters[0].name).toBe('ogre');
    const text = await dma([...args, ...key, '--no-save'], { env });
    expect(text.stdout).toMatch(/\[set piece\] Throne room:/);
    expect(text.stdout).toMatch(/\[set piece\] Shrine:/);
    expect(text.stdout).toContain('Party: 6 characters of level 4; a fair fight is worth 720 XP');
  });
});
