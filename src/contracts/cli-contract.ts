/**
 * The checks of cli-contract.yaml: its structure (the meta-schema of
 * ./cli-contract-schema.ts, compiled at `npm run generate`) and its semantic rules. Used by
 * `npm run generate` and by `dma contract validate`. Unknown keys are errors with a "did you
 * mean".
 */
import { loadYaml } from '../core/yaml.ts';
import type { z } from 'zod';
import type {
  argumentSchema,
  commandSchema,
  contractSchema,
  optionSchema,
} from './cli-contract-schema.ts';
import { didYouMean, suggest } from '../core/suggest.ts';
import {
  contractJsonSchema,
  contractValidator,
  patternMessages,
} from '../generated/cli-contract-validator.ts';
import { issuesOf, type CompiledValidator } from './issues.ts';

/** A JSON Schema (draft 2020-12 subset). Kept open here; the generator checks what it compiles. */
export type JsonSchema = { [key: string]: unknown };
export type ContractOption = z.infer<typeof optionSchema>;
export type ContractArgument = z.infer<typeof argumentSchema>;
export type ContractCommand = z.infer<typeof commandSchema>;
export type CliContract = z.infer<typeof contractSchema>;

export interface Finding {
  rule: string;
  path: string;
  message: string;
}

/** JSON pointer from a path of keys (RFC 6901). */
export function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? ''
    : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * Structural validation by the meta-schema compiled at `npm run generate`
 * (src/generated/cli-contract-validator.ts): each problem a finding with a rule id and a
 * pointer, worded and ordered as the Zod meta-schema reported them (src/contracts/issues.ts);
 * an unknown key with a "did you mean" from the keys its object has.
 */
export function structuralFindings(doc: unknown): { contract?: CliContract; findings: Finding[] } {
  const validate = contractValidator as unknown as CompiledValidator;
  if (validate(doc)) return { contract: doc as CliContract, findings: [] };
  const findings: Finding[] = [];
  for (const issue of issuesOf(validate.errors ?? [], doc, contractJsonSchema, patternMessages)) {
    if (issue.unknownKey !== undefined) {
      const s = suggest(issue.unknownKey, issue.knownKeys ?? [], 1);
      findings.push({
        rule: 'unknown-key',
        path: pointer(issue.path),
        message: `unknown key "${issue.unknownKey}"${s.length ? ` — did you mean "${s[0]}"?` : ''}`,
      });
    } else {
      findings.push({ rule: 'structure', path: pointer(issue.path), message: issue.message });
    }
  }
  return { findings };
}

function resolveRef(contract: CliContract, ref: string): JsonSchema | undefined {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  return contract.components.schemas?.[m[1]!];
}

/** Every `$ref` found in a JSON schema value, with its pointer. */
function collectRefs(
  value: unknown,
  path: PropertyKey[],
  out: { ref: string; path: string }[],
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectRefs(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, path: pointer([...path, k]) });
      else collectRefs(v, [...path, k], out);
    }
  }
}

const supportedSchemaTypes = new Set([
  'string',
  'integer',
  'number',
  'boolean',
  'array',
  'object',
  'null',
]);

/** Reports a finding of `rule` at the JSON pointer of `path`. */
type Add = (rule: string, path: PropertyKey[], message: string) => void;

/** The contract's version is package.json's. */
function checkVersion(contract: CliContract, packageVersion: string | undefined, add: Add): void {
  if (packageVersion !== undefined && contract.info.version !== packageVersion) {
    add(
      'version-mismatch',
      ['info', 'version'],
      `info.version ${contract.info.version} differs from package.json ${packageVersion}`,
    );
  }
}

/** An option's schema, a default only when optional, each flag used once; `flags` grows. */
function checkOption(
  name: string,
  opt: ContractOption,
  path: PropertyKey[],
  flags: Map<string, string>,
  add: Add,
): void {
  for (const f of [`--${name}`, ...(opt.aliases ?? [])]) {
    if (flags.has(f))
      add('duplicate-alias', path, `flag ${f} is already used by --${flags.get(f)}`);
    flags.set(f, name);
  }
  checkSchemaShape(opt.schema, [...path, 'schema'], add);
  if (opt.required && opt.schema['default'] !== undefined)
    add('required-with-default', path, `a required option cannot have a default`);
}

/** The global options; their flags, which no command option may reuse. */
function checkGlobalOptions(contract: CliContract, add: Add): Map<string, string> {
  const flags = new Map<string, string>();
  for (const [name, opt] of Object.entries(contract.global_options)) {
    checkSchemaShape(opt.schema, ['global_options', name, 'schema'], add);
    if (opt.required && opt.schema['default'] !== undefined)
      add(
        'required-with-default',
        ['global_options', name],
        `a required option cannot have a default`,
      );
    for (const f of [`--${name}`, ...(opt.aliases ?? [])]) {
      if (flags.has(f))
        add(
          'duplicate-alias',
          ['global_options', name],
          `flag ${f} is already used by --${flags.get(f)}`,
        );
      flags.set(f, name);
    }
  }
  return flags;
}

/**
 * A command path declared once (`paths` grows), and a command that is also a group (has
 * children) takes no arguments: Commander cannot tell them apart.
 */
function checkCommandPath(
  id: string,
  cmd: ContractCommand,
  ids: readonly string[],
  paths: Map<string, string>,
  add: Add,
): void {
  const base = ['commands', id];
  const key = id.split('.').join(' ');
  if (paths.has(key)) add('duplicate-command', base, `command path "dma ${key}" is declared twice`);
  paths.set(key, id);
  if (ids.some((other) => other.startsWith(id + '.')) && (cmd.arguments?.length ?? 0) > 0) {
    add(
      'group-with-arguments',
      [...base, 'arguments'],
      `"${id}" has subcommands and so cannot take arguments`,
    );
  }
}

/** Arguments named once, a variadic one last, no required one after an optional one. */
function checkArguments(base: PropertyKey[], args: readonly ContractArgument[], add: Add): void {
  const argNames = new Set<string>();
  args.forEach((a, i) => {
    if (argNames.has(a.name))
      add(
        'duplicate-argument',
        [...base, 'arguments', i],
        `argument "${a.name}" is declared twice`,
      );
    argNames.add(a.name);
    if (a.variadic && i !== args.length - 1)
      add(
        'variadic-not-last',
        [...base, 'arguments', i],
        `variadic argument "${a.name}" must be the last`,
      );
    const prev = args[i - 1];
    if (a.required && prev && prev.required === false) {
      add(
        'required-after-optional',
        [...base, 'arguments', i],
        `required argument "${a.name}" follows an optional one`,
      );
    }
    checkSchemaShape(a.schema, [...base, 'arguments', i, 'schema'], add);
  });
}

/** A command's options: each as a global one, no flag reused, a --no- option a boolean. */
function checkCommandOptions(
  base: PropertyKey[],
  cmd: ContractCommand,
  globalFlags: ReadonlyMap<string, string>,
  add: Add,
): void {
  const flags = new Map<string, string>(globalFlags);
  for (const [name, opt] of Object.entries(cmd.options ?? {})) {
    const op = [...base, 'options', name];
    checkOption(name, opt, op, flags, add);
    if (name.startsWith('no-') && opt.schema['type'] !== 'boolean')
      add('negated-not-boolean', op, `--${name} must be a boolean`);
  }
}

/** Exit 0 declared (unless hidden), every exit code one of components.exits. */
function checkExits(
  base: PropertyKey[],
  cmd: ContractCommand,
  sharedExits: ReadonlySet<string>,
  add: Add,
): void {
  if (!cmd.exits['0'] && !cmd.hidden)
    add('missing-success-exit', [...base, 'exits'], 'a command must declare exit 0');
  for (const code of Object.keys(cmd.exits)) {
    if (!sharedExits.has(code))
      add(
        'unknown-exit-code',
        [...base, 'exits', code],
        `exit code ${code} is not in components.exits`,
      );
  }
}

/** x-agent exactly for LLM commands, x-serve and x-agent naming declared options and exits. */
function checkExtensions(base: PropertyKey[], cmd: ContractCommand, add: Add): void {
  if (cmd.llm && !cmd['x-agent'])
    add('x-agent-missing', base, 'an LLM command must declare x-agent');
  if (!cmd.llm && cmd['x-agent'])
    add(
      'x-agent-unexpected',
      [...base, 'x-agent'],
      'x-agent is only for LLM commands (set llm: true)',
    );
  const xs = cmd['x-serve'];
  for (const name of [...(xs?.mcp_omit ?? []), ...(xs?.sse ? [xs.sse] : [])]) {
    if (!(cmd.options ?? {})[name])
      add('x-serve-option-undeclared', [...base, 'x-serve'], `option --${name} is not declared`);
  }
  const xa = cmd['x-agent'];
  if (xa?.safe_dry_run_option && !(cmd.options ?? {})[xa.safe_dry_run_option]) {
    add(
      'x-agent-dry-run-missing',
      [...base, 'x-agent', 'safe_dry_run_option'],
      `option --${xa.safe_dry_run_option} is not declared`,
    );
  }
  for (const code of xa?.retryable_exit_codes ?? []) {
    if (!cmd.exits[String(code)])
      add(
        'x-agent-retryable-undeclared',
        [...base, 'x-agent', 'retryable_exit_codes'],
        `exit ${code} is not declared by the command`,
      );
  }
}

/** A command that writes the database (at any risk) takes --dry-run. */
function checkDryRun(base: PropertyKey[], cmd: ContractCommand, add: Add): void {
  if (
    cmd.effects.writes?.includes('database') &&
    !(cmd.options ?? {})['dry-run'] &&
    cmd.effects.risk !== 'none'
  ) {
    add(
      'dry-run-missing',
      [...base, 'options'],
      'a command that writes the database must take --dry-run',
    );
  }
}

/** Each example runs its own command and exits with a code the command declares. */
function checkExamples(id: string, cmd: ContractCommand, add: Add): void {
  const base = ['commands', id];
  const words = id.split('.');
  (cmd.examples ?? []).forEach((ex, i) => {
    const exWords = ex.command.split(/\s+/).slice(1);
    if (!words.every((w, j) => exWords[j] === w)) {
      add(
        'example-wrong-command',
        [...base, 'examples', i, 'command'],
        `example does not start with "dma ${words.join(' ')}"`,
      );
    }
    if (ex.exit !== undefined && !cmd.exits[String(ex.exit)]) {
      add(
        'example-undeclared-exit',
        [...base, 'examples', i, 'exit'],
        `example exits ${ex.exit}, which the command does not declare`,
      );
    }
  });
}

/** Every $ref resolves. */
function unresolvedRefs(contract: CliContract): Finding[] {
  const refs: { ref: string; path: string }[] = [];
  collectRefs(contract, [], refs);
  return refs
    .filter((r) => !resolveRef(contract, r.ref))
    .map((r) => ({
      rule: 'unresolved-ref',
      path: r.path,
      message: `cannot resolve $ref "${r.ref}"`,
    }));
}

/**
 * Semantic checks a schema cannot express. Each finding has a rule id and a JSON pointer;
 * they come in the order of the checks: version, global options, then command by command
 * its path, arguments, options, exits, extensions, --dry-run and examples, then $refs.
 */
export function semanticFindings(contract: CliContract, packageVersion?: string): Finding[] {
  const findings: Finding[] = [];
  const add: Add = (rule, path, message) => findings.push({ rule, path: pointer(path), message });
  checkVersion(contract, packageVersion, add);
  const globalFlags = checkGlobalOptions(contract, add);
  const sharedExits = new Set(Object.keys(contract.components.exits));
  const ids = Object.keys(contract.commands);
  const paths = new Map<string, string>();
  for (const [id, cmd] of Object.entries(contract.commands)) {
    const base = ['commands', id];
    checkCommandPath(id, cmd, ids, paths, add);
    checkArguments(base, cmd.arguments ?? [], add);
    checkCommandOptions(base, cmd, globalFlags, add);
    checkExits(base, cmd, sharedExits, add);
    checkExtensions(base, cmd, add);
    checkDryRun(base, cmd, add);
    checkExamples(id, cmd, add);
  }
  return [...findings, ...unresolvedRefs(contract)];
}

/** A value of a JSON Schema type (the option types dma supports). */
function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

/** [lower, upper] keyword pairs whose order a schema must respect. */
const RANGE_PAIRS: [string, string][] = [
  ['minimum', 'maximum'],
  ['exclusiveMinimum', 'exclusiveMaximum'],
  ['minimum', 'exclusiveMaximum'],
  ['exclusiveMinimum', 'maximum'],
  ['minLength', 'maxLength'],
  ['minItems', 'maxItems'],
];

/**
 * An option's or argument's schema: a supported type (with "did you mean"), an enum of
 * that type holding its default, a default of that type within its range, and ranges
 * whose lower bound does not exceed the upper one.
 */
function checkSchemaShape(
  schema: JsonSchema,
  path: PropertyKey[],
  add: (rule: string, path: PropertyKey[], message: string) => void,
): void {
  const t = schema['type'];
  const known = [...supportedSchemaTypes];
  if (schema['$ref'] === undefined && (typeof t !== 'string' || !supportedSchemaTypes.has(t))) {
    const hint = typeof t === 'string' ? didYouMean(t, known) : '';
    add(
      'schema-type',
      [...path, 'type'],
      `${typeof t === 'string' ? `unknown schema type "${t}"` : 'schema type missing or not a string'}${hint || ` (one of ${known.join(', ')})`}`,
    );
  }
  const type = typeof t === 'string' && supportedSchemaTypes.has(t) ? t : undefined;
  if (t === 'array') {
    const items = schema['items'];
    if (!items || typeof items !== 'object')
      add('schema-items', [...path, 'items'], 'an array option needs items');
  }
  const en = schema['enum'];
  if (en !== undefined && (!Array.isArray(en) || en.length === 0))
    add('schema-enum', [...path, 'enum'], 'enum must be a non-empty array');
  if (Array.isArray(en) && type !== undefined) {
    en.forEach((v, i) => {
      if (!hasType(v, type))
        add(
          'schema-enum-type',
          [...path, 'enum', i],
          `enum value ${JSON.stringify(v)} is not of type ${type}`,
        );
    });
  }
  const def = schema['default'];
  if (def !== undefined && type !== undefined && !hasType(def, type)) {
    add(
      'schema-default-type',
      [...path, 'default'],
      `default ${JSON.stringify(def)} is not of type ${type}`,
    );
  } else if (Array.isArray(en) && def !== undefined && !en.includes(def)) {
    add(
      'schema-default',
      [...path, 'default'],
      `default ${JSON.stringify(def)} is not one of the enum values${
        typeof def === 'string'
          ? didYouMean(
              def,
              en.filter((v): v is string => typeof v === 'string'),
            )
          : ''
      }`,
    );
  }
  for (const key of [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
  ]) {
    const v = schema[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
      add('schema-range', [...path, key], `${key} must be a number`);
  }
  const num = (key: string) =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  for (const [lo, hi] of RANGE_PAIRS) {
    const a = num(lo);
    const b = num(hi);
    if (a === undefined || b === undefined) continue;
    const exclusive = lo.startsWith('exclusive') || hi.startsWith('exclusive');
    if (a > b || (exclusive && a === b))
      add(
        'schema-range',
        [...path, lo],
        `${lo} ${a} ${exclusive ? 'leaves no value below' : 'exceeds'} ${hi} ${b}`,
      );
  }
  if (typeof def === 'number') {
    const min = num('minimum');
    const max = num('maximum');
    const xmin = num('exclusiveMinimum');
    const xmax = num('exclusiveMaximum');
    if (
      (min !== undefined && def < min) ||
      (max !== undefined && def > max) ||
      (xmin !== undefined && def <= xmin) ||
      (xmax !== undefined && def >= xmax)
    )
      add(
        'schema-default-range',
        [...path, 'default'],
        `default ${def} is outside the option's range`,
      );
  }
}

/** Parse + validate a contract document. */
export function validateContract(
  doc: unknown,
  packageVersion?: string,
): { contract?: CliContract; findings: Finding[] } {
  const s = structuralFindings(doc);
  if (!s.contract) return s;
  return { contract: s.contract, findings: semanticFindings(s.contract, packageVersion) };
}

/** Parse contract text (YAML or JSON) and validate it; a YAML syntax error is a finding too. */
export async function parseAndValidateContract(
  text: string,
  packageVersion?: string,
): Promise<{ contract?: CliContract; findings: Finding[] }> {
  const { parseDocument } = await loadYaml();
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      findings: doc.errors.map((e) => ({
        rule: 'yaml-syntax',
        path: '',
        message: `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // a billion-laughs document: aliases that expand without bound
    return {
      findings: [
        { rule: 'yaml-aliases', path: '', message: (err as Error).message.split('\n')[0]! },
      ],
    };
  }
  return validateContract(value, packageVersion);
}
