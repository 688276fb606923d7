/**
 * Issue 12, files and pipes: every -o goes through one sink (never onto the campaign
 * database, `-` is stdout, unusable paths exit 3), a reader that goes away ends dma quietly
 * with exit 0, exports stream, files are private.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dma, dmaBin, repoRoot, scratchEnv } from '../helpers/dma.ts';

async function json(args: string[], env: Record<string, string>) {
  const r = await dma([...args, '--json'], { env });
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/**
 * Run dma with stdout on a real pipe, read `bytes` of it and close the reader, as
 * `dma … | head -c <bytes>` does. Resolves with the exit code and stderr.
 */
function closedEarly(
  args: string[],
  env: Record<string, string>,
  bytes = 10,
): Promise<{ exitCode: number | null; stderr: string; got: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [dmaBin, ...args], {
      env,
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= bytes) child.stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (exitCode) => done({ exitCode, stderr, got }));
  });
}

describe('closed pipes end quietly with exit 0', () => {
  it('entity export, npc create, roll and --help, each read for a few bytes', async () => {
    const env = scratchEnv();
    // enough NPCs that the export cannot fit in the pipe's buffer
    await dma(['npc', 'create', '--count', '300', '--seed', '1', '-q'], { env });
    for (const args of [
      ['entity', 'export'],
      ['entity', 'export', '--format', 'ndjson'],
      ['npc', 'create', '--count', '2000', '--no-save', '--json'],
      ['roll', '1d6', '--times', '1000', '--json'],
      ['audit', '--help'],
    ]) {
      const r = await closedEarly(args, env);
      expect(r.got, args.join(' ')).toBeGreaterThan(0);
      expect({ args: args.join(' '), exit: r.exitCode, stderr: r.stderr }).toEqual({
        args: args.join(' '),
        exit: 0,
        stderr: '',
      });
    }
  });
});

describe('-o/--output', () => {
  it('never writes over the campaign database, its WAL, or a symlink to it (exit 3, nothing changed)', async () => {
    const env = scratchEnv();
    const db = env['DMA_DB']!;
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'Keep me', '--data', '{"text":"t"}'],
      env,
    );
    const link = join(env['HOME']!, 'innocent.json');
    symlinkSync(db, link);
    mkdirSync(join(env['HOME']!, 'dir'));
    const dirLink = join(env['HOME']!, 'dir', 'home');
    symlinkSync(env['HOME']!, dirLink);
    const before = readFileSync(db);
    for (const args of [
      ['entity', 'export', '-o', db],
      ['entity', 'export', '-o', link],
      ['entity', 'export', '-o', `${db}-wal`],
      ['entity', 'export', '-o', join(dirLink, 'campaign.db')],
      ['entity', 'export', '--db', db, '-o', db],
      ['dungeon', 'gen', '--rooms', '3', '--seed', '1', '--map', 'svg', '-o', db],
      ['dungeon', 'gen', '--rooms', '3', '--seed', '1', '--map', 'svg', '--no-save', '-o', link],
      ['dungeon', 'gen', '--rooms', '3', '--seed', '1', '--map', 'png', '--no-save', '-o', db],
      ['audit', 'examples/npc-legal.yaml', '-o', db],
    ]) {
      const r = await dma(args, { env });
      expect(r.exitCode, args.join(' ')).toBe(3);
      expect(r.stderr, args.join(' ')).toMatch(/refusing to write .*campaign database/);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    const list = await json(['entity', 'list'], env);
    expect(list.entities.map((e: { name: string }) => e.name)).toEqual(['Keep me']);
    // the refused dungeon gen saved nothing either: the path is checked before the work
    expect(await json(['dungeon', 'list'], env)).toMatchObject({ entities: [] });
  });

  it('unusable paths are exit 3 with the reason in one line, never a stack trace', async () => {
    const env = scratchEnv();
    const cases: [string, RegExp][] = [
      ['/nonexistent/x.json', /folder \/nonexistent does not exist/],
      ['/tmp', /is a directory/],
      ['', /file name is empty/],
      ['/dev/full', /no space left on device/],
    ];
    for (const [path, re] of cases) {
      for (const args of [
        ['entity', 'export', '-o', path],
        [
          'dungeon',
          'gen',
          '--rooms',
          '3',
          '--seed',
          '1',
          '--no-save',
          '--map',
          'ascii',
          '-o',
          path,
        ],
      ]) {
        if (path === '/dev/full' && !existsSync('/dev/full')) continue;
        const r = await dma(args, { env });
        expect(r.exitCode, args.join(' ')).toBe(3);
        expect(r.stderr, args.join(' ')).toMatch(re);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
  });

  it('"-" is stdout for every command; a file is written whole, 0600 unless --mode', async () => {
    const env = scratchEnv();
    const home = env['HOME']!;
    const map = await dma(
      ['dungeon', 'gen', '--rooms', '3', '--seed', '4', '--no-save', '--map', 'ascii', '-o', '-'],
      { env, cwd: home },
    );
    expect(map.exitCode).toBe(0);
    expect(map.stdout).toMatch(/#/);
    expect(existsSync(join(home, '-'))).toBe(false);

    await json(
      ['entity', 'create', '--type', 'note', '--name', 'N', '--data', '{"text":"t"}'],
      env,
    );
    const toStdout = await dma(['entity', 'export', '-o', '-'], { env });
    expect(JSON.parse(toStdout.stdout).entities).toHaveLength(1);

    const file = join(home, 'out.json');
    const r = await dma(['entity', 'export', '-o', file], { env });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/exported 1 entities and 0 relationships to /);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).entities[0].name).toBe('N');
    expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const shared = join(home, 'shared.json');
    await dma(['entity', 'export', '-o', shared, '--mode', '644'], { env });
    expect(statSync(shared).mode & 0o777).toBe(0o644);
    const bad = await dma(['entity', 'export', '-o', shared, '--mode', 'rw'], { env });
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/invalid --mode "rw"/);

    const svg = join(home, 'map.svg');
    await dma(
      ['dungeon', 'gen', '--rooms', '3', '--seed', '4', '--no-save', '--map', 'svg', '-o', svg],
      {
        env,
      },
    );
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg|^<\?xml/);
    expect(statSync(svg).mode & 0o777).toBe(0o600);
  });
});

describe('interrupted writes', () => {
  it('Ctrl-C during an export to a file leaves the old file and no temp file (exit 130)', async () => {
    const env = scratchEnv();
    await dma(['npc', 'create', '--count', '3000', '--seed', '5', '-q'], { env });
    const home = env['HOME']!;
    const target = join(home, 'export.json');
    writeFileSync(target, 'old');
    const child = spawn(process.execPath, [dmaBin, 'entity', 'export', '-o', target], {
      env,
      cwd: home,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // signal once the temp file exists (the export is under way), or give up when it ends
    let signalled = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      if (readdirSync(home).some((f) => f.endsWith('.tmp'))) {
        child.kill('SIGINT');
        signalled = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const code = await exited;
    expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    if (signalled && code === 130) expect(readFileSync(target, 'utf8')).toBe('old');
    else expect(JSON.parse(readFileSync(target, 'utf8')).entities).toHaveLength(3000);
  });
});

describe('streaming export and import', () => {
  it('NDJSON round-trips idempotently; a truncated file or a bad record imports nothing', async () => {
    const env = scratchEnv();
    await dma(['npc', 'create', '--count', '30', '--seed', '2', '-q'], { env });
    await json(['entity', 'create', '--type', 'faction', '--name', 'The Red Hand'], env);
    const first = (await json(['npc', 'list'], env)).entities[0].name as string;
    await json(['entity', 'link', first, 'The Red Hand', '--type', 'member'], env);
    const file = join(env['HOME']!, 'camp.ndjson');
    expect(
      (await dma(['entity', 'export', '--format', 'ndjson', '-o', file], { env })).exitCode,
    ).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 31 + 1 + 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ schema_version: '1.0' });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: { entities: 31, relationships: 1 } });

    // the JSON and NDJSON exports hold the same records
    const whole = JSON.parse((await dma(['entity', 'export'], { env })).stdout);
    expect(lines.slice(1, 32).map((l) => JSON.parse(l).entity)).toEqual(whole.entities);

    const other = scratchEnv();
    const imported = await json(['entity', 'import', file], other);
    expect(imported.entities).toEqual({ created: 31, updated: 0, unchanged: 0 });
    expect(imported.relationships).toEqual({ created: 1, unchanged: 0 });
    const again = await json(['entity', 'import', file], other);
    expect(again.entities).toEqual({ created: 0, updated: 0, unchanged: 31 });

    const empty = scratchEnv();
    const cut = join(env['HOME']!, 'cut.ndjson');
    writeFileSync(cut, lines.slice(0, 20).join('\n') + '\n');
    const truncated = await dma(['entity', 'import', cut], { env: empty });
    expect(truncated.exitCode).toBe(3);
    expect(truncated.stderr).toMatch(/no end record/);
    const bad = [...lines];
    bad[25] = bad[25]!.replace(/"level":\d+/, '"level":"high"');
    writeFileSync(cut, bad.join('\n') + '\n');
    const refused = await dma(['entity', 'import', cut], { env: empty });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/entities\[24\]/);
    expect((await json(['entity', 'list'], empty)).entities).toEqual([]);

    const viaStdin = await dma(['entity', 'import', '-', '--json'], {
      env: empty,
      input: readFileSync(file, 'utf8'),
    });
    expect(JSON.parse(viaStdin.stdout).entities.created).toBe(31);
  });
});

describe('permissions', () => {
  it('a new campaign is 0600 in a 0700 folder; doctor warns about a readable one', async () => {
    const env = scratchEnv();
    const db = join(env['HOME']!, 'new', 'deeper', 'campaign.db');
    const e = { ...env, DMA_DB: db };
    await json(['entity', 'create', '--type', 'note', '--name', 'N', '--data', '{"text":"t"}'], e);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(statSync(join(env['HOME']!, 'new', 'deeper')).mode & 0o777).toBe(0o700);
    expect(statSync(join(env['HOME']!, 'new')).mode & 0o777).toBe(0o700);
    for (const f of [`${db}-wal`, `${db}-shm`])
      if (existsSync(f)) expect(statSync(f).mode & 0o077, f).toBe(0);

    const ok = await dma(['doctor'], { env: e });
    expect(ok.stdout).toMatch(/✓ database permissions: mode 600/);
    chmodSync(db, 0o644);
    const warned = await dma(['doctor'], { env: e });
    const line = warned.stdout.split('\n').find((l) => l.includes('database permissions'));
    expect(line).toMatch(
      /^! database permissions: .* is readable by others \(mode 644\).*chmod 600/,
    );
  });
});

describe('bus trim', () => {
  it('refuses without --yes when stdin is not a terminal; --yes and --dry-run do not ask', async () => {
    const env = scratchEnv();
    await dma(['ask', 'Roll 2d6', '--seed', '1'], { env });
    const refused = await dma(['bus', 'trim', '--keep', '0'], { env });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/without --yes/);
    expect(refused.stderr).toMatch(/hint: .*--dry-run/);
    const dry = await json(['bus', 'trim', '--keep', '0', '--dry-run'], env);
    expect(dry.deleted.messages).toBe(2);
    const done = await json(['bus', 'trim', '--keep', '0', '--yes'], env);
    expect(done.deleted.messages).toBe(2);
  });
});

describe('contract validate', () => {
  it('refuses a global option typed "strin" with an enum-less default, and minimum > maximum', async () => {
    const env = scratchEnv();
    const text = readFileSync(join(repoRoot, 'cli-contract.yaml'), 'utf8')
      .replace(
        'global_options:\n',
        'global_options:\n  style:\n    description: A broken option.\n    schema: { type: strin, default: xml }\n',
      )
      .replace(
        'schema: { type: integer, minimum: 1, maximum: 200 }',
        'schema: { type: integer, minimum: 300, maximum: 200 }',
      );
    const file = join(env['HOME']!, 'contract.yaml');
    writeFileSync(file, text);
    const r = await dma(['contract', 'validate', file], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain(
      '#/global_options/style/schema/type: [schema-type] unknown schema type "strin" — did you mean "string"?',
    );
    expect(r.stdout).toMatch(
      /#\/commands\/dungeon\.gen\/options\/rooms\/schema\/minimum: \[schema-range\] minimum 300 exceeds maximum 200/,
    );
    const own = await dma(['contract', 'validate'], { env });
    expect(own.exitCode).toBe(0);
  });
});
