import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';

describe('dma (the built binary)', () => {
  it('prints a bare THAC0 in text mode', async () => {
    const r = await dma(['thac0', 'fighter', '5']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '16', stderr: '' });
  });

  it('prints a JSON document with schema_version', async () => {
    const r = await dma(['thac0', 'fighter', '5', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      schema_version: '1.0',
      thac0: 16,
      group: 'warrior',
    });
    const j = await dma(['thac0', 'mage', '12', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ thac0: 17 });
  });

  it('prints YAML', async () => {
    const r = await dma(['thac0', 'cleric', '7', '--format', 'yaml']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('thac0: 16');
  });

  it('suggests the class on a typo, one line, exit 3', async () => {
    const r = await dma(['thac0', 'fightr', '5']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^dma: unknown class.*"fightr" — did you mean "fighter"\?$/);
    // at most one hint line follows the error
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1]) expect(lines[1]).toMatch(/^hint: /);
  });

  it('rejects a non-numeric level with exit 3', async () => {
    const r = await dma(['thac0', 'fighter', 'x']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/invalid value "x" for <level>/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown command with exit 3 and a suggestion', async () => {
    const r = await dma(['nonsense']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/unknown command "nonsense"/);
    expect(r.stderr).toMatch(/dma --help/);
    const close = await dma(['thaco', 'fighter', '5']);
    expect(close.exitCode).toBe(3);
    expect(close.stderr).toMatch(/did you mean "thac0"/);
  });

  it('suggests enum values and options', async () => {
    const f = await dma(['thac0', 'fighter', '5', '--format', 'jsn']);
    expect(f.exitCode).toBe(3);
    expect(f.stderr).toMatch(/did you mean "json"/);
    const o = await dma(['thac0', 'fighter', '5', '--formt', 'json']);
    expect(o.exitCode).toBe(3);
    expect(o.stderr).toMatch(/did you mean "--format"/);
  });

  it('writes errors as JSON on stderr with a machine format', async () => {
    const r = await dma(['thac0', 'fightr', '5', '--json']);
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    // Commander's usage errors too, with the machine format given after the bad token
    for (const argv of [
      ['thac0', 'fighter', '5', '--bogus', '--json'],
      ['thac0', 'fighter', '5', '--format', 'xml', '--json'],
      ['dungeon', 'gen', '--rooms', '0', '--report-format', 'json'],
    ]) {
      const u = await dma(argv);
      expect(u.exitCode, argv.join(' ')).toBe(3);
      expect(JSON.parse(u.stderr), argv.join(' ')).toMatchObject({
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/bogus|invalid value/) },
      });
    }
  });

  it('prints the version and help with examples', async () => {
    const v = await dma(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await dma(['--help']);
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toContain('Examples:');
    expect(h.stdout).toContain('dma thac0 fighter 5');
    const ch = await dma(['thac0', '--help']);
    expect(ch.stdout).toContain('--hd <dice>');
  });

  it('prints completion scripts for each shell', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await dma(['completion', shell]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('thac0');
    }
    expect((await dma(['completion', 'tcsh'])).exitCode).toBe(3);
  });

  it('runs doctor with one line per check', async () => {
    const r = await dma(['doctor']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/node: Node\.js/);
    const j = JSON.parse((await dma(['doctor', '--json'])).stdout);
    expect(j.ok).toBe(true);
  });

  it('doctor checks the database quickly by default, its integrity with --full', async () => {
    const env = scratchEnv();
    await dma(['npc', 'create', '--seed', '1'], { env });
    const quick = await dma(['doctor'], { env });
    expect(quick.exitCode, quick.stderr).toBe(0);
    expect(quick.stdout).toMatch(/database: .* 1 entities \(dma doctor --full checks integrity\)/);
    const full = await dma(['doctor', '--full'], { env });
    expect(full.stdout).toMatch(/database: .* 1 entities, integrity ok/);
  });

  it('config show: effective settings and their sources; a bad config file is exit 3', async () => {
    const env = scratchEnv();
    const file = `${env.HOME}/dma.yaml`;
    writeFileSync(file, 'party_size: 5\n');
    const r = await dma(['config', 'show', '--json'], { env: { ...env, DMA_CONFIG: file } });
    expect(r.exitCode, r.stderr).toBe(0);
    const values = JSON.parse(r.stdout).values as { key: string; source: string }[];
    expect(values.find((v) => v.key === 'party_size')).toMatchObject({
      value: 5,
      source: 'config',
    });
    writeFileSync(file, 'adaptr: mock\n');
    const bad = await dma(['dungeon', 'gen', '--rooms', '3', '--no-save'], {
      env: { ...env, DMA_CONFIG: file },
    });
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/unknown key "adaptr" — did you mean "adapter"\?/);
  });

  it('validates contracts', async () => {
    const own = await dma(['contract', 'validate']);
    expect(own.exitCode).toBe(0);
    expect(own.stdout).toMatch(/valid/);
    const bad = await dma(['contract', 'validate', '-', '--json'], {
      input:
        'cli_contract: "1.0"\ninfo: {title: x, version: 1.0.0}\nglobal_options: {}\ncomands: {}\ncomponents: {exits: {"0": {name: OK, description: ok}}}\n',
    });
    expect(bad.exitCode).toBe(3);
    const doc = JSON.parse(bad.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.findings.map((f: { message: string }) => f.message).join(' ')).toMatch(
      /did you mean "commands"/,
    );
    const missing = await dma(['contract', 'validate', 'no-such-file.yaml']);
    expect(missing.exitCode).toBe(3);
  });
});
