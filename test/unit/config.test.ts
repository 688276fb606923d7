import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyConfig, effectiveConfig, resetConfigCache } from '../../src/cli/config.ts';
import { commands } from '../../src/generated/commands.ts';

function home(config?: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'dma-config-'));
  const env = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
  };
  if (config !== undefined) {
    mkdirSync(join(dir, 'config', 'dma'), { recursive: true });
    writeFileSync(join(dir, 'config', 'dma', 'config.yaml'), config);
  }
  return env;
}

describe('config file', () => {
  beforeEach(() => resetConfigCache());

  it('precedence: flag > env > config > default, with the source of each', async () => {
    const env = home('party_size: 6\nadapter: openai\ncampaign: ../c.db\n');
    const input: Record<string, unknown> = { partySize: undefined };
    await applyConfig(commands['dungeon.gen'], input, new Set(), env, '/');
    expect(input['partySize']).toBe(6);
    expect(input['db']).toBe(join(env.HOME!, 'config', 'c.db'));
    const typed: Record<string, unknown> = { partySize: 2 };
    await applyConfig(commands['dungeon.gen'], typed, new Set(['partySize']), env, '/');
    expect(typed['partySize']).toBe(2);
    const fromEnv: Record<string, unknown> = {};
    await applyConfig(
      commands['dungeon.gen'],
      fromEnv,
      new Set(),
      { ...env, DMA_PARTY_SIZE: '3' },
      '/',
    );
    expect(fromEnv['partySize']).toBe(3);
    // thac0 declares none of the keys and opens no campaign: nothing applies
    const thac0: Record<string, unknown> = {};
    await applyConfig(commands['thac0'], thac0, new Set(), env, '/');
    expect(thac0).toEqual({});
    const shown = await effectiveConfig({ ...env, DMA_ADAPTER: 'mock' }, '/');
    expect(Object.fromEntries(shown.values.map((v) => [v.key, [v.value, v.source]]))).toEqual({
      adapter: ['mock', 'env'],
      model: [null, 'default'],
      campaign: [join(env.HOME!, 'config', 'c.db'), 'config'],
      language: ['en', 'default'],
      party_size: [6, 'config'],
    });
  });

  it('refuses an unknown key with a did-you-mean, a wrong type, a value the option refuses', async () => {
    await expect(effectiveConfig(home('party_sise: 4\n'), '/')).rejects.toThrow(
      /unknown key "party_sise" — did you mean "party_size"\?/,
    );
    resetConfigCache();
    await expect(effectiveConfig(home('party_size: four\n'), '/')).rejects.toThrow(
      /party_size: expected an integer/,
    );
    resetConfigCache();
    await expect(effectiveConfig(home('- a\n'), '/')).rejects.toThrow(/expected a mapping/);
    resetConfigCache();
    const input: Record<string, unknown> = {};
    await expect(
      applyConfig(commands['dungeon.gen'], input, new Set(), home('party_size: 0\n'), '/'),
    ).rejects.toMatchObject({ exitCode: 3 });
  });

  it('reads the compiled copy when the file has not changed', async () => {
    const env = home('language: ru\n');
    await effectiveConfig(env, '/');
    resetConfigCache();
    // the cache is keyed by size and mtime: a same-size edit with the old mtime would be
    // missed, so only check that a second read agrees
    expect(
      (await effectiveConfig(env, '/')).values.find((v) => v.key === 'language'),
    ).toMatchObject({
      value: 'ru',
      source: 'config',
    });
  });
});
