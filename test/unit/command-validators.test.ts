/**
 * The compiled input validators (src/generated/validators.ts, read by `checkInput`) against
 * the Zod validators dma used before them, rebuilt here from the contract with the same
 * generator (`zodFor`): on the input of every contract example and thousands of mutations of
 * it, both must accept and reject the same inputs, and say the same first problem
 * (`invalid <field>: <message>`, the line a user sees). A third check: the whole input schema
 * of each command compiled by ajv here agrees on what is valid. The same for the meta-schema
 * of the contract (`dma contract validate`), on all the findings it lists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { inputFields, inputSchema } from '../../scripts/lib/command-validators.ts';
import { componentOrder, refName, zodFor } from '../../scripts/lib/zod-codegen.ts';
import { parseCommandLine } from '../../src/cli/commander.ts';
import { checkInput } from '../../src/contracts/command-input.ts';
import {
  parseAndValidateContract,
  pointer,
  structuralFindings,
  type CliContract,
} from '../../src/contracts/cli-contract.ts';
import { contractSchema } from '../../src/contracts/cli-contract-schema.ts';
import { examples } from '../../src/generated/commands.ts';
import { repoRoot, shellWords } from '../helpers/dma.ts';

type Input = Record<string, unknown>;
interface ZodValidator {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

let contract: CliContract;
let zodValidators: Record<string, ZodValidator>;

/** The Zod input validators as `npm run generate` wrote them before (src/generated/validators.ts). */
function buildZodValidators(c: CliContract): Record<string, ZodValidator> {
  const lines: string[] = [];
  const schemas = c.components.schemas ?? {};
  for (const name of componentOrder(schemas))
    lines.push(`const ${refName(`#/components/schemas/${name}`)} = ${zodFor(schemas[name]!)};`);
  lines.push('const out = {};');
  const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  for (const [id, cmd] of Object.entries(c.commands)) {
    const fields: string[] = [];
    for (const a of cmd.arguments ?? []) {
      let s = zodFor(a.schema);
      if (a.variadic) s = `z.array(${s})`;
      const optional = a.required === false || a.variadic ? '.optional()' : '';
      fields.push(`${JSON.stringify(camel(a.name))}: ${s}${optional}`);
    }
    for (const [name, o] of [
      ...Object.entries(cmd.options ?? {}),
      ...Object.entries(c.global_options),
    ]) {
      let s = zodFor(o.schema);
      if (o.repeatable) s = `z.array(${s})`;
      const key = camel(name.startsWith('no-') ? name.slice(3) : name);
      fields.push(`${JSON.stringify(key)}: ${s}${o.required ? '' : '.optional()'}`);
    }
    lines.push(`out[${JSON.stringify(id)}] = z.strictObject({ ${fields.join(', ')} });`);
  }
  lines.push('return out;');
  return new Function('z', lines.join('\n'))(z) as Record<string, ZodValidator>;
}

/** The line each validator makes of an input: undefined when valid. */
function zodLine(id: string, input: Input): string | undefined {
  const r = zodValidators[id]!.safeParse(input);
  if (r.success) return undefined;
  const issue = r.error!.issues[0]!;
  return `invalid ${String(issue.path[0] ?? 'input')}: ${issue.message}`;
}
function compiledLine(id: string, input: Input): string | undefined {
  const issue = checkInput(id, input);
  return issue && `invalid ${issue.key || 'input'}: ${issue.message}`;
}

/** Values that break a field a few ways each (types, bounds, lengths, safe integers, unicode). */
const LEAVES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  ' padded ',
  'x'.repeat(101),
  'y'.repeat(1001),
  '😀',
  '😀'.repeat(60),
  'fighter',
  'json',
  'npc',
  0,
  -1,
  -11,
  1,
  1.5,
  0.5,
  5,
  20,
  21,
  26,
  101,
  65536,
  1e20,
  -1e20,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  4294967296,
  NaN,
  Infinity,
  true,
  false,
  [],
  ['a'],
  [1],
  ['a', 2, 'b', 3],
  {},
  { a: 1 },
  new Date(0),
];

function* mutations(input: Input, keys: readonly string[]): Generator<Input> {
  for (const key of keys) for (const leaf of LEAVES) yield { ...input, [key]: leaf };
  for (const key of Object.keys(input)) {
    const { [key]: _drop, ...rest } = input;
    yield rest;
  }
  yield { ...input, unexpected: 1 };
  yield { ...input, unexpected: 1, other: 'x' };
  // two broken fields: the first in the contract's order is reported
  for (let i = 0; i + 1 < keys.length; i++)
    yield { ...input, [keys[i]!]: 'bad', [keys[i + 1]!]: -1e20, extra: true };
}

/** Each command's inputs: its examples as Commander parses them, else the empty input. */
async function baseInputs(): Promise<Map<string, Input[]>> {
  const out = new Map<string, Input[]>();
  for (const [id, list] of Object.entries(examples)) {
    const inputs: Input[] = [{}];
    for (const ex of list as { command: string }[]) {
      const parsed = await parseCommandLine(shellWords(ex.command).slice(1));
      if ('invocation' in parsed) inputs.push({ ...parsed.invocation.input });
    }
    out.set(id, inputs);
  }
  return out;
}

describe('compiled input validators agree with the Zod ones', () => {
  let inputs: Map<string, Input[]>;
  beforeAll(async () => {
    const text = readFileSync(join(repoRoot, 'cli-contract.yaml'), 'utf8');
    const { contract: c } = await parseAndValidateContract(text);
    contract = c!;
    zodValidators = buildZodValidators(contract);
    inputs = await baseInputs();
  });

  it('every command has a parsed example to start from', () => {
    const without = [...inputs].filter(([, list]) => list.length < 2).map(([id]) => id);
    // commands whose every example is an error (a bad value) start from the empty input
    expect(without.length).toBeLessThan(inputs.size / 4);
  });

  it('on every example and its mutations: same verdict, same first problem', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    let compared = 0;
    let rejected = 0;
    for (const [id, list] of inputs) {
      const cmd = contract.commands[id]!;
      const whole = ajv.compile(inputSchema(contract, cmd));
      const keys = inputFields(contract, cmd).map((f) => f.key);
      for (const base of list) {
        for (const input of [base, ...mutations(base, keys)]) {
          const expected = zodLine(id, input);
          const actual = compiledLine(id, input);
          expect(actual, `${id} ${JSON.stringify(input)}`).toBe(expected);
          expect(whole(input), `${id} whole schema: ${JSON.stringify(input)}`).toBe(
            expected === undefined,
          );
          compared++;
          if (expected !== undefined) rejected++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
    // the mutations reach both answers, many times
    expect(rejected).toBeGreaterThan(compared / 4);
    expect(compared - rejected).toBeGreaterThan(1_000);
  });

  it('names the field and says what is wrong, as a user sees it', () => {
    expect(compiledLine('thac0', { class: 'fighter', level: 1.5 })).toBe(
      'invalid level: Invalid input: expected int, received number',
    );
    expect(compiledLine('npc.create', { level: 0 })).toBe(
      'invalid level: Too small: expected number to be >=1',
    );
    expect(compiledLine('npc.create', { name: '' })).toBe(
      'invalid name: Too small: expected string to have >=1 characters',
    );
    expect(compiledLine('npc.create', { seed: 1e20 })).toBe(
      'invalid seed: Too big: expected int to be <=9007199254740991',
    );
    expect(compiledLine('npc.create', { gender: 'x' })).toBe(
      'invalid gender: Invalid option: expected one of "male"|"female"',
    );
    expect(compiledLine('npc.show', {})).toBe(
      'invalid ref: Invalid input: expected string, received undefined',
    );
    expect(compiledLine('npc.create', { bogus: 1 })).toBe(
      'invalid input: Unrecognized key: "bogus"',
    );
    expect(compiledLine('npc.create', {})).toBeUndefined();
  });
});

/**
 * `dma contract validate`: the meta-schema compiled at `npm run generate` against the Zod
 * meta-schema it is compiled from, on the real contract and mutations of a part of it: the
 * same findings (path and message), in the same order.
 */
describe('the compiled contract meta-schema agrees with the Zod one', () => {
  let doc: Record<string, unknown>;
  beforeAll(() => {
    doc = parseYaml(readFileSync(join(repoRoot, 'cli-contract.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
  });

  /** The findings the Zod meta-schema gave (src/contracts/cli-contract.ts before). */
  function zodFindings(value: unknown): string[] {
    const parsed = contractSchema.safeParse(value);
    if (parsed.success) return [];
    const out: string[] = [];
    // after a wrong type, Zod still ran a value's length checks ("[]" for a non-empty string:
    // "expected array to have >=1 items"); the compiled check says the type alone, which is
    // the better line
    const wrongType = new Set<string>();
    for (const issue of parsed.error.issues) {
      const at = pointer(issue.path);
      if (wrongType.has(at)) continue;
      if (issue.code === 'invalid_type') wrongType.add(at);
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys) out.push(`${pointer([...issue.path, key])} unknown key`);
      else out.push(`${pointer(issue.path)} ${issue.message}`);
    }
    return out;
  }
  function compiledFindings(value: unknown): string[] {
    return structuralFindings(value).findings.map((f) =>
      f.rule === 'unknown-key' ? `${f.path} unknown key` : `${f.path} ${f.message}`,
    );
  }

  const SMALL: unknown[] = [
    undefined,
    null,
    '',
    'x',
    'Bad Key',
    0,
    -1,
    1.5,
    101,
    true,
    [],
    {},
    ['x', 3],
  ];

  /** Mutations of the value at `path`: replaced, removed, given an unknown key, a key renamed. */
  function* mutate(root: Record<string, unknown>, path: string[]): Generator<unknown> {
    const at = (r: unknown) => path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], r);
    const node = at(root);
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const key of Object.keys(node)) {
        for (const leaf of SMALL) {
          const copy = structuredClone(root);
          (at(copy) as Record<string, unknown>)[key] = leaf;
          yield copy;
        }
        const copy = structuredClone(root);
        delete (at(copy) as Record<string, unknown>)[key];
        (at(copy) as Record<string, unknown>)[`${key}X`] = 1;
        (at(copy) as Record<string, unknown>)['Bad_Key'] = {};
        yield copy;
      }
    } else if (Array.isArray(node)) {
      for (let i = 0; i < Math.min(node.length, 3); i++)
        for (const leaf of SMALL) {
          const copy = structuredClone(root);
          (at(copy) as unknown[])[i] = leaf;
          yield copy;
        }
    }
  }

  it('on the real contract and thousands of mutations: the same findings in the same order', () => {
    expect(compiledFindings(doc)).toEqual([]);
    const commands = doc['commands'] as Record<string, Record<string, unknown>>;
    const paths: string[][] = [[], ['info'], ['components'], ['components', 'exits']];
    const globals = Object.keys(doc['global_options'] as object);
    paths.push(['global_options'], ['global_options', globals[0]!]);
    for (const id of ['thac0', 'npc.create', 'audit']) {
      const cmd = commands[id]!;
      paths.push(['commands', id]);
      for (const key of Object.keys(cmd)) paths.push(['commands', id, key]);
      const opts = Object.keys((cmd['options'] ?? {}) as object);
      if (opts[0]) paths.push(['commands', id, 'options', opts[0]]);
      paths.push(['commands', id, 'exits', '0'], ['commands', id, 'exits', '0', 'stdout']);
    }
    paths.push(['commands', 'thac0', 'arguments', '0'], ['commands', 'thac0', 'examples', '0']);
    let compared = 0;
    for (const path of paths)
      for (const value of mutate(doc, path)) {
        expect(compiledFindings(value), `${path.join('.')}`).toEqual(zodFindings(value));
        compared++;
      }
    for (const value of [null, [], 'x', {}, { ...doc, cli_contract: '2.0', extra: 1 }]) {
      expect(compiledFindings(value)).toEqual(zodFindings(value));
      compared++;
    }
    expect(compared).toBeGreaterThan(2_000);
  }, 120_000);
});
