import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateContract, type CliContract } from '../../src/contracts/cli-contract.ts';
import { generateCli } from '../../scripts/lib/cli-codegen.ts';
import { repoRoot } from '../helpers/dma.ts';

const own = parse(readFileSync(join(repoRoot, 'cli-contract.yaml'), 'utf8')) as CliContract;

function base(): Record<string, unknown> {
  return {
    cli_contract: '1.0',
    info: { title: 'demo', version: '1.0.0' },
    global_options: {
      format: {
        description: 'f',
        schema: { type: 'string', enum: ['text', 'json'], default: 'text' },
      },
    },
    components: {
      exits: {
        '0': { name: 'OK', description: 'ok' },
        '3': { name: 'INVALID_INPUT', description: 'bad' },
      },
      schemas: {
        Out: {
          type: 'object',
          required: ['schema_version', 'n'],
          properties: { schema_version: { type: 'string', const: '1.0' }, n: { type: 'integer' } },
        },
      },
    },
    commands: {
      'thing.add': {
        summary: 'Add a thing',
        arguments: [{ name: 'name', description: 'n', schema: { type: 'string' } }],
        options: {
          count: {
            description: 'c',
            schema: { type: 'integer', minimum: 1, maximum: 9, default: 1 },
            aliases: ['-c'],
          },
          kind: { description: 'k', schema: { type: 'string', enum: ['a', 'b'] }, required: true },
          tag: {
            description: 't',
            schema: { type: 'array', items: { type: 'string' } },
            repeatable: true,
          },
          'no-save': { description: 's', schema: { type: 'boolean' } },
        },
        exits: {
          '0': { stdout: { format: 'json', schema: { $ref: '#/components/schemas/Out' } } },
          '3': {},
        },
        effects: { risk: 'none' },
        examples: [{ command: 'dma thing add x --kind a', description: 'adds' }],
      },
    },
  };
}

const rules = (doc: unknown) => validateContract(doc).findings.map((f) => f.rule);

describe('contract validation', () => {
  it("accepts dma's own contract", () => {
    expect(validateContract(own).findings).toEqual([]);
  });

  it('accepts the base fixture', () => {
    expect(validateContract(base()).findings).toEqual([]);
  });

  it('reports unknown keys with a did-you-mean and a JSON pointer', () => {
    const doc = base();
    (doc['commands'] as Record<string, Record<string, unknown>>)['thing.add']!['sumary'] = 'x';
    const { findings } = validateContract(doc);
    expect(findings).toContainEqual({
      rule: 'unknown-key',
      path: '/commands/thing.add/sumary',
      message: 'unknown key "sumary" — did you mean "summary"?',
    });
  });

  it('finds duplicate aliases, variadic not last, unresolved refs, unknown exits, missing x-agent', () => {
    const doc = base();
    const cmd = (doc['commands'] as Record<string, Record<string, unknown>>)['thing.add']!;
    (cmd['options'] as Record<string, { aliases?: string[] }>)['kind']!.aliases = ['-c'];
    cmd['arguments'] = [
      { name: 'a', description: 'a', schema: { type: 'string' }, variadic: true },
      { name: 'b', description: 'b', schema: { $ref: '#/components/schemas/Nope' } },
    ];
    (cmd['exits'] as Record<string, unknown>)['42'] = {};
    cmd['llm'] = true;
    const found = rules(doc);
    expect(found).toEqual(
      expect.arrayContaining([
        'duplicate-alias',
        'variadic-not-last',
        'unresolved-ref',
        'unknown-exit-code',
        'x-agent-missing',
      ]),
    );
  });

  it('checks option schemas, global options too: type (did you mean), default vs enum and type, ranges', () => {
    const doc = base();
    const globals = doc['global_options'] as Record<string, { schema: Record<string, unknown> }>;
    globals['format']!.schema = { type: 'strin', default: 'xml' };
    const opts = (doc['commands'] as Record<string, Record<string, unknown>>)['thing.add']![
      'options'
    ] as Record<string, { schema: Record<string, unknown> }>;
    opts['count']!.schema = { type: 'integer', minimum: 10, maximum: 2, default: 1.5 };
    opts['kind']!.schema = { type: 'string', enum: ['a', 'b', 3], default: 'c' };
    opts['tag']!.schema = { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 1 };
    const { findings } = validateContract(doc);
    expect(findings).toContainEqual({
      rule: 'schema-type',
      path: '/global_options/format/schema/type',
      message: 'unknown schema type "strin" — did you mean "string"?',
    });
    expect(findings).toContainEqual({
      rule: 'schema-range',
      path: '/commands/thing.add/options/count/schema/minimum',
      message: 'minimum 10 exceeds maximum 2',
    });
    expect(findings).toContainEqual({
      rule: 'schema-default-type',
      path: '/commands/thing.add/options/count/schema/default',
      message: 'default 1.5 is not of type integer',
    });
    expect(findings).toContainEqual({
      rule: 'schema-enum-type',
      path: '/commands/thing.add/options/kind/schema/enum/2',
      message: 'enum value 3 is not of type string',
    });
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual(
      expect.arrayContaining([
        'schema-default /commands/thing.add/options/kind/schema/default',
        'schema-range /commands/thing.add/options/tag/schema/minItems',
      ]),
    );

    // a default of the right type but outside its range, and an enum default of the wrong type
    const other = base();
    const o = (other['commands'] as Record<string, Record<string, unknown>>)['thing.add']![
      'options'
    ] as Record<string, { schema: Record<string, unknown> }>;
    o['count']!.schema = { type: 'integer', minimum: 1, maximum: 9, default: 12 };
    (other['global_options'] as Record<string, { schema: Record<string, unknown> }>)[
      'format'
    ]!.schema = { type: 'string', enum: ['text', 'json'], default: 'jsno' };
    const f2 = validateContract(other).findings;
    expect(f2.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['schema-default-range', 'schema-default']),
    );
    expect(f2.find((f) => f.rule === 'schema-default')?.message).toMatch(/did you mean "json"/);
  });

  it('finds a duplicate command path and examples of another command', () => {
    const doc = base();
    const cmds = doc['commands'] as Record<string, Record<string, unknown>>;
    cmds['thing'] = {
      ...cmds['thing.add']!,
      examples: [{ command: 'dma other', description: 'x' }],
    };
    const found = rules(doc);
    expect(found).toContain('group-with-arguments');
    expect(found).toContain('example-wrong-command');
  });

  it('flags a writing command without --dry-run', () => {
    const doc = base();
    (doc['commands'] as Record<string, Record<string, unknown>>)['thing.add']!['effects'] = {
      writes: ['database'],
      risk: 'low',
    };
    expect(rules(doc)).toContain('dry-run-missing');
  });
});

describe('each semantic rule broken alone', () => {
  type Doc = ReturnType<typeof base>;
  const add = (doc: Doc) =>
    (doc['commands'] as Record<string, Record<string, unknown>>)['thing.add']!;
  const options = (doc: Doc) => add(doc)['options'] as Record<string, Record<string, unknown>>;
  /** a change to the base fixture, and the one finding it must give: "rule pointer" */
  const BREAKS: [string, (doc: Doc) => void][] = [
    ['version-mismatch /info/version', () => {}],
    [
      'required-with-default /global_options/format',
      (d) =>
        ((d['global_options'] as Record<string, Record<string, unknown>>)['format']!['required'] =
          true),
    ],
    [
      'group-with-arguments /commands/thing.add/arguments',
      (d) =>
        ((d['commands'] as Record<string, unknown>)['thing.add.more'] = {
          ...structuredClone(add(d)),
          arguments: [],
          examples: [],
        }),
    ],
    [
      'duplicate-argument /commands/thing.add/arguments/1',
      (d) =>
        (add(d)['arguments'] = [
          { name: 'n', description: 'n', schema: { type: 'string' } },
          { name: 'n', description: 'm', schema: { type: 'string' }, required: false },
        ]),
    ],
    [
      'required-after-optional /commands/thing.add/arguments/1',
      (d) =>
        (add(d)['arguments'] = [
          { name: 'n', description: 'n', schema: { type: 'string' }, required: false },
          { name: 'm', description: 'm', schema: { type: 'string' }, required: true },
        ]),
    ],
    [
      'duplicate-alias /commands/thing.add/options/kind',
      (d) => (options(d)['kind']!['aliases'] = ['-c']),
    ],
    [
      'negated-not-boolean /commands/thing.add/options/no-save',
      (d) => (options(d)['no-save']!['schema'] = { type: 'string' }),
    ],
    [
      'missing-success-exit /commands/thing.add/exits',
      (d) => delete (add(d)['exits'] as Record<string, unknown>)['0'],
    ],
    [
      'x-agent-unexpected /commands/thing.add/x-agent',
      (d) =>
        (add(d)['x-agent'] = {
          risk_level: 'low',
          expected_duration_ms: 9,
          retryable_exit_codes: [],
        }),
    ],
    [
      'x-serve-option-undeclared /commands/thing.add/x-serve',
      (d) => (add(d)['x-serve'] = { mcp_omit: ['nope'] }),
    ],
    [
      'dry-run-missing /commands/thing.add/options',
      (d) => (add(d)['effects'] = { writes: ['database'], risk: 'low' }),
    ],
    [
      'example-undeclared-exit /commands/thing.add/examples/0/exit',
      (d) =>
        (add(d)['examples'] = [{ command: 'dma thing add x --kind a', description: 'x', exit: 4 }]),
    ],
  ];
  it.each(BREAKS)('%s', (expected, change) => {
    const doc = base();
    change(doc);
    const version = expected.startsWith('version-mismatch') ? '2.0.0' : '1.0.0';
    const findings = validateContract(doc, version).findings;
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([expected]);
  });
});

describe('code generation', () => {
  it('is deterministic', () => {
    const c = validateContract(base()).contract!;
    expect(generateCli(c)).toEqual(generateCli(c));
  });

  it('emits choices, number parsing, required and repeatable options, and negation', () => {
    const c = validateContract(base()).contract!;
    const program = generateCli(c).find((f) => f.path.endsWith('program.ts'))!.content;
    expect(program).toContain('o.choices(["a","b"])');
    expect(program).toContain('h.parseNumber("--count", true, 1, 9)');
    expect(program).toContain('o.makeOptionMandatory(true)');
    expect(program).toContain('h.collect(');
    expect(program).toContain('"--no-save"');
    const docs = generateCli(c).find((f) => f.path === 'docs/cli.md')!.content;
    expect(docs).toContain('### dma thing add');
    expect(docs).toContain('dma thing add x --kind a');
  });

  it('generates a program that type-checks with strict', () => {
    const c = validateContract(base()).contract!;
    const dir = mkdtempSync(join(tmpdir(), 'dma-gen-'));
    mkdirSync(join(dir, 'src', 'generated'), { recursive: true });
    symlinkSync(join(repoRoot, 'src', 'core'), join(dir, 'src', 'core'));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    for (const f of generateCli(c)) {
      if (f.path.startsWith('src/')) writeFileSync(join(dir, f.path), f.content);
    }
    // a handler written against the generated types must compile
    writeFileSync(
      join(dir, 'src', 'handler.ts'),
      [
        "import type { CommandModule } from './generated/types.ts';",
        "export const run: CommandModule<'thing.add'>['run'] = (input) => ({ n: input.count ?? input.name.length });",
        "export const bad = (i: Parameters<CommandModule<'thing.add'>['run']>[0]) => i.kind satisfies 'a' | 'b';",
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
          types: ['node'],
          noUncheckedIndexedAccess: true,
          typeRoots: [join(repoRoot, 'node_modules', '@types')],
        },
        include: ['src'],
      }),
    );
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'pipe' })).not.toThrow();
  });
});
