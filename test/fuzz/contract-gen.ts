/**
 * Invocations generated from cli-contract.yaml at run time (issue 12): every command of the
 * contract, its arguments and options with values chosen by their JSON Schema (type, enum,
 * range), plus what a careless or hostile user types — unicode, huge values, near-miss enum
 * values, FTS syntax, SQL, bad files and path tricks. A command added to the contract later
 * is fuzzed without touching this file.
 *
 * Safety: dma runs as whatever user runs the tests (root in CI containers), so any value that
 * may name a file to write (value_name file/path/dir, or an option called output) comes from
 * `paths`, which stays inside the scratch folder apart from a few harmless device files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { shellWords } from '../helpers/dma.ts';

type Json = Record<string, unknown>;

export interface ArgSpec {
  name: string;
  schema: Json;
  required: boolean;
  variadic: boolean;
}
export interface OptSpec {
  name: string;
  schema: Json;
  aliases: string[];
  valueName: string | undefined;
  required: boolean;
}
export interface CommandSpec {
  id: string;
  path: string[];
  args: ArgSpec[];
  options: OptSpec[];
  exits: number[];
  /** argv of the contract's examples (without the leading `dma`) */
  examples: string[][];
}

export interface Contract {
  commands: CommandSpec[];
  globals: OptSpec[];
}

function optSpecs(raw: Json | undefined): OptSpec[] {
  return Object.entries(raw ?? {}).map(([name, o]) => {
    const v = o as Json;
    return {
      name,
      schema: (v.schema as Json | undefined) ?? { type: 'string' },
      aliases: (v.aliases as string[] | undefined) ?? [],
      valueName: v.value_name as string | undefined,
      required: v.required === true,
    };
  });
}

export function loadContract(file: string): Contract {
  const doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: 100 }) as Json;
  const commands = Object.entries(doc.commands as Json).map(([id, c]) => {
    const cmd = c as Json;
    const examples = ((cmd.examples as { command: string }[] | undefined) ?? [])
      .map((e) => shellWords(e.command))
      .filter((w) => w[0] === 'dma')
      .map((w) => w.slice(1));
    return {
      id,
      path: id.split('.'),
      args: ((cmd.arguments as Json[] | undefined) ?? []).map((a) => ({
        name: String(a.name),
        schema: (a.schema as Json | undefined) ?? { type: 'string' },
        required: a.required !== false,
        variadic: a.variadic === true,
      })),
      options: optSpecs(cmd.options as Json | undefined),
      exits: Object.keys((cmd.exits as Json | undefined) ?? {}).map(Number),
      examples,
    };
  });
  return { commands, globals: optSpecs(doc.global_options as Json | undefined) };
}

/** Files and folders the generated values point at, all under the scratch folder `root`. */
export interface FuzzFiles {
  root: string;
  /** the campaign database of this run (never written through a path value on purpose) */
  db: string;
  good: string[];
  bad: string[];
  /** names and ids that exist in the seeded campaign */
  known: string[];
}

// ---------------------------------------------------------------------------------------------
// values

const NO_NUL = (s: string) => s.replace(/\0/g, '');

/** Strings people type into a search box that mean something to SQLite FTS5 or to SQL. */
const FTS_AND_SQL = [
  '"',
  '""',
  'NEAR(',
  'NEAR(a b, -1)',
  'a AND',
  'OR OR',
  'NOT',
  '*',
  'dra*',
  '^goblin',
  'name:orc',
  'data:{',
  '(((',
  ')',
  "'; DROP TABLE entities; --",
  "' OR 1=1 --",
  '%',
  '_',
  '\\',
  'a"b',
  '{"$gt": ""}',
];

const UNICODE = [
  'Ëlvèn',
  'Гоблин',
  '地下城',
  '🐉🗡️',
  'e\u0301',
  '\u200b',
  '\u202eevil',
  'ﬁghter',
  'Ｆｉｇｈｔｅｒ',
  'ǅ',
  '\ud83d', // a lone surrogate
  '\t',
  ' ',
  '\n',
  'a\nb',
];

const NUMBERS_AS_TEXT = [
  '',
  ' ',
  '0',
  '-0',
  '1.5',
  '1e3',
  '1e309',
  '-1e309',
  '0x10',
  '0b11',
  ' 7',
  '7 ',
  '+3',
  '99999999999999999999',
  '-99999999999999999999',
  '9007199254740993',
  'NaN',
  'Infinity',
  '-Infinity',
  '١٢',
  '5abc',
  'five',
  '--1',
];

function nearMiss(s: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(s.toUpperCase()),
    fc.constant(s.slice(0, -1)),
    fc.constant(`${s}x`),
    fc.constant(` ${s}`),
    fc.constant(s.length > 1 ? s[1]! + s[0]! + s.slice(2) : `${s}${s}`),
  );
}

function hugeString(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('a', 'Ж', '🐉', '"', '-', '9', ' '),
      fc.integer({ min: 1000, max: 30_000 }),
    )
    .map(([c, n]) => c.repeat(n));
}

export function freeString(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }).map(NO_NUL) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 2, arbitrary: fc.constantFrom(...FTS_AND_SQL) },
    { weight: 1, arbitrary: hugeString() },
    { weight: 1, arbitrary: fc.constantFrom(...NUMBERS_AS_TEXT) },
  );
}

function numberValue(schema: Json, integer: boolean): fc.Arbitrary<string> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
  // in range, biased small: a maximum of 100,000 NPCs is legal but not a fuzz case's job
  const smallMax = Math.min(max, min + 25);
  const inRange = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, smallMax)) })
    : fc.double({ min, max: Math.max(min, smallMax), noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    { weight: 6, arbitrary: inRange.map(String) },
    { weight: 1, arbitrary: fc.constantFrom(String(min), String(Math.min(max, min + 1))) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(String(min - 1), String(max + 1), String(max * 1000 + 7)),
    },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBERS_AS_TEXT) },
  );
}

/** A path to read or write: good and bad files, and tricks — all inside the scratch folder. */
export function pathValue(files: FuzzFiles): fc.Arbitrary<string> {
  const r = files.root;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...files.good) },
    { weight: 3, arbitrary: fc.constantFrom(...files.bad) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '-',
        '',
        ' ',
        '/dev/null',
        '/dev/full',
        '/nonexistent-dma-fuzz/x.json',
        r,
        `${r}/`,
        join(r, 'out', 'sub', '..', '..', 'out', 'report.json'),
        join(r, 'no-such-dir', 'x.json'),
        join(r, 'link-to-db'),
        join(r, 'dangling-link'),
        join(r, 'loop-a'),
        join(r, 'readonly', 'x.json'),
        join(r, `${'n'.repeat(300)}.json`),
        join(r, 'out', 'ünï cødé 🐉.json'),
        join(r, 'out', 'new\nline.json'),
        join(r, 'out', '-starts-with-dash.json'),
        './out/rel.json',
        '../scratch-escape-is-inside-root.json',
        files.db,
        `${files.db}-wal`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ maxLength: 12 })
        .map((s) => join(r, 'out', NO_NUL(s).replace(/\//g, '_') || 'empty')),
    },
  );
}

function looksLikePath(name: string, valueName: string | undefined): boolean {
  return /file|path|dir/.test(valueName ?? '') || /^(output|out|file|dir)$/.test(name);
}

export function valueFor(
  schema: Json,
  name: string,
  valueName: string | undefined,
  files: FuzzFiles,
): fc.Arbitrary<string> {
  if (looksLikePath(name, valueName)) return pathValue(files);
  if (name === 'base-url' || valueName === 'url') {
    // never the internet: a closed loopback port or a malformed URL
    return fc.constantFrom('http://127.0.0.1:9/v1', 'ftp://x', 'not a url', '', 'http://[::1]:9');
  }
  const en = schema.enum as unknown[] | undefined;
  if (Array.isArray(en) && en.length > 0) {
    const vals = en.map(String);
    return fc.oneof(
      { weight: 7, arbitrary: fc.constantFrom(...vals) },
      { weight: 2, arbitrary: fc.constantFrom(...vals).chain(nearMiss) },
      { weight: 1, arbitrary: freeString(files.known) },
    );
  }
  switch (schema.type) {
    case 'integer':
      return numberValue(schema, true);
    case 'number':
      return numberValue(schema, false);
    default:
      return fc.oneof(
        { weight: 5, arbitrary: freeString(files.known) },
        { weight: 1, arbitrary: pathValue(files) },
        { weight: 1, arbitrary: pathValue(files).map((p) => `@${p}`) },
        {
          weight: 1,
          arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => NO_NUL(JSON.stringify(v) ?? 'null')),
        },
      );
  }
}

// ---------------------------------------------------------------------------------------------
// invocations

export interface Invocation {
  command: string;
  argv: string[];
}

function optionTokens(o: OptSpec, files: FuzzFiles): fc.Arbitrary<string[]> {
  const long = `--${o.name}`;
  const names = [long, ...o.aliases];
  if (o.schema.type === 'boolean') {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...names).map((n): string[] => [n]) },
      { weight: 1, arbitrary: fc.constant<string[]>([`${long}=true`]) },
      { weight: 1, arbitrary: fc.constant<string[]>([long, long]) },
    );
  }
  const value = valueFor(o.schema, o.name, o.valueName, files);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...names), value).map(([n, v]): string[] => [n, v]),
    },
    { weight: 2, arbitrary: value.map((v): string[] => [`${long}=${v}`]) },
    { weight: 1, arbitrary: fc.constant<string[]>([long]) }, // value missing
  );
}

const GLOBAL_NOISE = [
  ['--json'],
  ['--format', 'yaml'],
  ['--format', 'json'],
  ['--format', 'xml'],
  ['-q'],
  ['--no-color'],
  ['--help'],
  ['--bogus-option'],
  ['--'],
  ['-'],
  ['-x'],
];

function fromScratch(cmd: CommandSpec, files: FuzzFiles): fc.Arbitrary<string[]> {
  const positional = fc.tuple(
    ...cmd.args.map((a) => {
      const one = valueFor(a.schema, a.name, undefined, files);
      const values = a.variadic
        ? fc.array(one, { minLength: 1, maxLength: 4 })
        : one.map((v) => [v]);
      return a.required
        ? fc.oneof({ weight: 12, arbitrary: values }, { weight: 1, arbitrary: fc.constant([]) })
        : fc.option(values, { nil: undefined, freq: 3 }).map((v) => v ?? []);
    }),
  );
  const options = fc
    .subarray(cmd.options, { minLength: 0, maxLength: Math.min(4, cmd.options.length) })
    .map((list) => [...new Set([...cmd.options.filter((o) => o.required), ...list])])
    .chain((list) =>
      list.length === 0
        ? fc.constant([] as string[][])
        : fc.tuple(...list.map((o) => optionTokens(o, files))),
    );
  const noise = fc.option(fc.constantFrom(...GLOBAL_NOISE), { freq: 4 });
  return fc.tuple(positional, options, noise, fc.boolean()).map(([pos, opts, extra, optsFirst]) => {
    const p = (pos as string[][]).flat();
    const o = (opts as string[][]).flat();
    return [...cmd.path, ...(optsFirst ? [...o, ...p] : [...p, ...o]), ...(extra ?? [])];
  });
}

/** An example of the contract with one token replaced, one option added, or one dropped. */
function fromExample(cmd: CommandSpec, files: FuzzFiles): fc.Arbitrary<string[]> {
  const examples = cmd.examples.filter((e) => cmd.path.every((p, i) => e[i] === p));
  if (examples.length === 0) return fromScratch(cmd, files);
  const extraOption =
    cmd.options.length === 0
      ? fc.constant([] as string[])
      : fc.constantFrom(...cmd.options).chain((o) => optionTokens(o, files));
  return fc
    .tuple(
      fc.constantFrom(...examples),
      fc.nat(),
      freeString(files.known),
      pathValue(files),
      extraOption,
      fc.constantFrom('keep', 'replace', 'drop', 'add'),
    )
    .map(([ex, at, free, path, opt, how]) => {
      const argv = [...ex];
      const i =
        cmd.path.length +
        (argv.length > cmd.path.length ? at % (argv.length - cmd.path.length) : 0);
      // the value of an option that names a file is replaced by a (scratch-confined) path
      const before = argv[i - 1] ?? '';
      const spec = cmd.options.find((o) => `--${o.name}` === before || o.aliases.includes(before));
      const value = spec !== undefined && looksLikePath(spec.name, spec.valueName) ? path : free;
      if (how === 'replace' && i < argv.length) argv[i] = value;
      if (how === 'drop' && i < argv.length) argv.splice(i, 1);
      if (how === 'add') argv.push(...opt);
      return argv;
    });
}

/** One invocation of any command of the contract (or, rarely, of no command at all). */
export function invocationArb(contract: Contract, files: FuzzFiles): fc.Arbitrary<Invocation> {
  const perCommand = contract.commands.map((cmd) =>
    fc
      .oneof(
        { weight: 3, arbitrary: fromScratch(cmd, files) },
        { weight: 2, arbitrary: fromExample(cmd, files) },
      )
      .map((argv) => ({ command: cmd.id, argv })),
  );
  const junk = fc
    .array(freeString(files.known), { minLength: 0, maxLength: 3 })
    .map((argv) => ({ command: '(none)', argv }));
  return fc.oneof(
    { weight: 40, arbitrary: fc.oneof(...perCommand) },
    { weight: 1, arbitrary: junk },
  );
}
