/**
 * argv is parsed once per run — by the fast lane's parser when it is sure of the line, else
 * by Commander — into one frozen settings value. These tests hold both parsers to the same
 * answer for the same argv, and check that an error or help still carries what was read.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { commands, globalOptions } from '../../src/generated/commands.ts';
import { parseCommandLine, type Parsed } from '../../src/cli/commander.ts';
import { fastParse } from '../../src/cli/fastlane.ts';
import { reportError } from '../../src/cli/output.ts';
import { defaultSettings, type Settings } from '../../src/cli/settings.ts';
import { useStreams } from '../../src/cli/stdio.ts';

const fast = (argv: string[]) => fastParse(argv, commands, globalOptions);

/** Commander's parse, with whatever it prints (help) captured. */
async function full(argv: string[]): Promise<{ parsed: Parsed; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { parsed: await parseCommandLine(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const settings = (format: Settings['format'], quiet = false, noColor = false): Settings => ({
  format,
  quiet,
  noColor,
});

// argv the fast lane takes, and the settings both parsers must give
const lines: [string[], Settings][] = [
  [['thac0', 'fighter', '5'], settings('text')],
  [['thac0', 'fighter', '5', '--json'], settings('json')],
  [['thac0', 'fighter', '5', '-f', 'yaml'], settings('yaml')],
  [['thac0', 'fighter', '5', '-fyaml', '-q'], settings('yaml', true)],
  [['thac0', 'fighter', '5', '--format=ndjson', '--json'], settings('ndjson')],
  // --json is --format json, whichever comes last (the fast lane used to say yaml here)
  [['thac0', 'fighter', '5', '--json', '--format', 'yaml'], settings('json')],
  [['thac0', 'fighter', '5', '-qf', 'json', '--no-color'], settings('json', true, true)],
  [['to-hit', 'fighter', '5', '--ac', '-2', '--quiet'], settings('text', true)],
  [['npc', 'create', '--count', '2', '--no-save', '--no-color'], settings('text', false, true)],
  // a typed option the config file also sets (party_size): typed, so the file does not apply
  [['dungeon', 'gen', '--party-size', '5', '-q'], settings('text', true)],
  // LLM commands: --report-format, else its default (json for audit, explain), --json wins
  [['audit', 'npc.yaml'], settings('json')],
  [['audit', 'npc.yaml', '--format', 'yaml'], settings('yaml')],
  [['audit', 'npc.yaml', '--report-format', 'text', '--format', 'yaml'], settings('text')],
  [['audit', 'npc.yaml', '--report-format', 'text', '--json'], settings('json')],
  [['explain', 'thac0', '--format', 'ndjson'], settings('ndjson')],
  [['action', 'I attack', '-c', 'pc.yaml'], settings('text')],
  [['action', 'I attack', '-c', 'pc.yaml', '-f', 'yaml'], settings('yaml')],
  // dungeon gen is no LLM command: --report-format is its --format, and --json still wins
  [['dungeon', 'gen', '--report-format', 'yaml'], settings('yaml')],
  [['dungeon', 'gen', '--report-format', 'yaml', '--json'], settings('json')],
];

describe('one parse of argv, one settings value', () => {
  it('the settings are frozen, on both paths and before any parse', async () => {
    const f = fast(['thac0', 'fighter', '5', '--json'])!;
    const { parsed } = await full(['thac0', 'fighter', '5', '--json']);
    const c = 'invocation' in parsed ? parsed.invocation.settings : undefined;
    for (const s of [f.settings, c, defaultSettings]) {
      expect(Object.isFrozen(s)).toBe(true);
      expect(() => {
        (s as { format: string }).format = 'yaml';
      }).toThrow(TypeError);
    }
  });

  it.each(lines)('%j: the fast lane and Commander give the same run', async (argv, want) => {
    const f = fast(argv);
    expect(f, 'the fast lane takes this line').not.toBeNull();
    const { parsed } = await full(argv);
    if (!('invocation' in parsed)) throw new Error(`Commander did not parse: ${String(parsed)}`);
    const c = parsed.invocation;
    expect(f!.settings).toEqual(want);
    expect(c.settings).toEqual(want);
    // the handler sees the same formats, and the config layer the same typed options
    expect(c.input['format']).toBe(f!.input['format']);
    expect(c.input['reportFormat']).toBe(f!.input['reportFormat']);
    expect([...c.typed].sort()).toEqual([...f!.typed].sort());
  });

  it('what the fast lane is unsure of is left to Commander', () => {
    expect(fast(['thac0', 'fighter', '5', '--bogus'])).toBeNull();
    expect(fast(['thac0', 'fighter', '5', '--json=1'])).toBeNull();
    expect(fast(['thac0', 'fighter', '5', '--format', 'xml'])).toBeNull();
    expect(fast(['thac0', 'fighter', '-5'])).toBeNull();
    expect(fast(['thac0', '--hd'])).toBeNull();
    expect(fast(['--json', 'thac0', 'fighter', '5'])).toBeNull();
    // repeatable options are Commander's to collect
    expect(fast(['dungeon', 'gen', '--key-room', 'lair:orc'])).toBeNull();
    expect(fast(['to-hit', 'fighter', '5', '--ac', '-2'])?.input['ac']).toBe(-2);
    expect(fast(['thac0', '--', 'fighter', '5'])?.input).toMatchObject({ class: 'fighter' });
  });

  it('a usage error carries the settings Commander had read, even after the bad token', async () => {
    const cases: [string[], Settings['format'], RegExp][] = [
      [['thac0', 'fighter', '5', '--bogus', '--json'], 'json', /unknown option "--bogus"/],
      [['thac0', 'fighter', '5', '--bogus'], 'text', /unknown option "--bogus"/],
      [['thac0', 'fighter', '5', '--format', 'xml', '--json'], 'json', /invalid value "xml"/],
      [['thac0', 'fighter', 'x', '-q', '--json'], 'json', /invalid value "x" for <level>/],
      [['dungeon', 'gen', '--rooms', '0', '--report-format', 'yaml'], 'yaml', /--rooms/],
      [['audit', 'npc.yaml', '--fail-on', 'x'], 'json', /invalid value "x" for --fail-on/],
      [['npc', 'creat', '--json'], 'json', /unknown command "creat"/],
      [['nonsense', '-f', 'yaml'], 'yaml', /unknown command "nonsense"/],
    ];
    for (const [argv, format, message] of cases) {
      const { parsed } = await full(argv);
      expect(parsed, argv.join(' ')).toMatchObject({ settings: { format } });
      if (!('error' in parsed)) throw new Error(`no error for ${argv.join(' ')}`);
      expect(parsed.error).toBeInstanceOf(UsageError);
      expect((parsed.error as Error).message).toMatch(message);
      expect(Object.isFrozen(parsed.settings)).toBe(true);
    }
  });

  it('the first bad value is the error, and help after it is not printed', async () => {
    const { parsed, out, err } = await full(['thac0', '--format', 'xml', '--help']);
    expect(parsed).toMatchObject({ settings: { format: 'text' } });
    expect('error' in parsed && (parsed.error as Error).message).toMatch(/invalid value "xml"/);
    expect(out + err).toBe('');
  });

  it('help carries the settings too', async () => {
    const help = await full(['thac0', '--json', '--help']);
    expect(help.parsed).toEqual({ exit: 0, settings: settings('json') });
    expect(help.out).toMatch(/^Usage: dma thac0/);
    // a command group without its subcommand: help on stderr, exit 3
    const group = await full(['npc', '-q']);
    expect(group.parsed).toEqual({ exit: 3, settings: settings('text', true) });
    expect(group.err).toMatch(/^Usage: dma npc/);
  });
});

describe('reportError', () => {
  const capture = (fn: () => number) => {
    let err = '';
    useStreams(); // reportError writes through process.stderr, where the spy is (src/cli/stdio.ts)
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    const code = fn();
    vi.restoreAllMocks();
    return { code, err };
  };

  it('shapes the error by the settings it is given', () => {
    const e = new UsageError('no such class', { hint: 'try fighter' });
    const json = capture(() => reportError(e, settings('yaml')));
    expect(json.code).toBe(3);
    expect(JSON.parse(json.err)).toEqual({
      error: { code: 'INVALID_INPUT', message: 'no such class', hint: 'try fighter' },
    });
    const text = capture(() => reportError(e, settings('text', false, true)));
    expect(text.err).toBe('dma: no such class\nhint: try fighter\n');
  });
});
