/**
 * Turns a validated cli-contract into src/generated/*.ts and docs/cli.md.
 * Everything here is pure string building: same contract, same bytes.
 */
import type {
  CliContract,
  ContractArgument,
  ContractCommand,
  ContractOption,
  JsonSchema,
} from '../../src/contracts/cli-contract.ts';
import { HEADER, type GeneratedFile } from './rules-data.ts';
import {
  camel,
  compileContractMetaValidator,
  compileInputValidators,
  CONTRACT_VALIDATOR_PATH,
  compileOutputValidators,
  INPUT_VALIDATORS_PATH,
  inputFields,
  OUTPUT_VALIDATORS_PATH,
  optionKey,
  resolve,
} from './command-validators.ts';
import { tsTypeFor } from './ts-codegen.ts';
import { componentOrder, refName } from './zod-codegen.ts';

const lit = (v: unknown) => JSON.stringify(v);

export const handlerFile = (id: string, cmd: ContractCommand) =>
  cmd.handler ?? id.replace(/\./g, '-');

function successSchema(cmd: ContractCommand): JsonSchema | undefined {
  return cmd.exits['0']?.stdout?.schema;
}

/**
 * schema_version const of the success output, added to every JSON document by the CLI. For an
 * anyOf/oneOf of documents (e.g. a report or, with --show-prompt, the prompt), the first one's.
 */
function schemaVersion(contract: CliContract, cmd: ContractCommand): string | undefined {
  const s = successSchema(cmd);
  if (!s) return undefined;
  let r = resolve(contract, s);
  const alts = (r['anyOf'] ?? r['oneOf']) as JsonSchema[] | undefined;
  if (alts?.[0] !== undefined) r = resolve(contract, alts[0]);
  const props = r['properties'] as Record<string, JsonSchema> | undefined;
  const c = props?.['schema_version']?.['const'];
  return typeof c === 'string' ? c : undefined;
}

// ---------------------------------------------------------------- types.ts
function types(contract: CliContract): string {
  const ids = Object.keys(contract.commands);
  const schemas = contract.components.schemas ?? {};
  const lines: string[] = [
    HEADER,
    "import type { CommandContext, Payload } from '../core/context.ts';",
    '',
    `export type CommandId = ${ids.map(lit).join(' | ')};`,
    '',
    "// the contract's component schemas",
    ...componentOrder(schemas).map(
      (name) => `type ${refName(`#/components/schemas/${name}`)} = ${tsTypeFor(schemas[name]!)};`,
    ),
    '',
    '/** Validated input of each command: arguments and options, camelCased. */',
    'export interface CommandInputs {',
    ...ids.map((id) => {
      const fields = inputFields(contract, contract.commands[id]!).map((f) =>
        f.required
          ? `${lit(f.key)}: ${tsTypeFor(f.schema)}`
          : `${lit(f.key)}?: ${tsTypeFor(f.schema)} | undefined`,
      );
      return `  ${lit(id)}: { ${fields.join('; ')} };`;
    }),
    '}',
    '',
    '/** Omit over each member of a union (a report or a prompt document). */',
    "type WithoutVersion<T> = T extends unknown ? Omit<T, 'schema_version'> : never;",
    '',
    '/** What each handler returns: the success document without schema_version (the CLI adds it). */',
    'export interface CommandOutputs {',
    ...ids.map((id) => {
      const cmd = contract.commands[id]!;
      return successSchema(cmd) && schemaVersion(contract, cmd)
        ? `  ${lit(id)}: WithoutVersion<${tsTypeFor(successSchema(cmd)!)}>;`
        : `  ${lit(id)}: Record<string, unknown>;`;
    }),
    '}',
    '',
    '/** A file in src/commands/ exports `run` (and optionally `text`, the text-mode rendering). */',
    'export interface CommandModule<K extends CommandId> {',
    '  run(input: CommandInputs[K], ctx: CommandContext): CommandOutputs[K] | Promise<CommandOutputs[K]>;',
    '  text?(result: CommandOutputs[K], input: CommandInputs[K]): string;',
    '  /**',
    '   * output that is not a data document (a map, NDJSON, an export): written verbatim whatever',
    '   * --format says, to stdout or to -o/--output (text, bytes, or chunks from a generator)',
    '   */',
    '  raw?(result: CommandOutputs[K], input: CommandInputs[K]): Payload | undefined;',
    '  /** the stderr line after -o/--output wrote `file` (default "wrote <file>") */',
    '  written?(result: CommandOutputs[K], input: CommandInputs[K], file: string): string;',
    '  /** exit code for a successful run whose result says so (e.g. doctor with a failed check) */',
    '  exitCode?(result: CommandOutputs[K]): number;',
    '}',
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------- commands.ts (metadata)
interface ArgMeta {
  name: string;
  key: string;
  required: boolean;
  variadic: boolean;
  type: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}
interface OptMeta {
  name: string;
  key: string;
  flags: string[];
  type: string;
  takesValue: boolean;
  negate: boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  repeatable: boolean;
  required: boolean;
}

function typeOf(schema: JsonSchema): string {
  const t = schema['type'];
  return typeof t === 'string' ? t : 'string';
}

function argMeta(a: ContractArgument): ArgMeta {
  const m: ArgMeta = {
    name: a.name,
    key: camel(a.name),
    required: a.required !== false && !a.variadic ? true : a.required === true,
    variadic: a.variadic === true,
    type: typeOf(a.schema),
  };
  if (Array.isArray(a.schema['enum'])) m.enum = a.schema['enum'] as string[];
  if (typeof a.schema['minimum'] === 'number') m.minimum = a.schema['minimum'];
  if (typeof a.schema['maximum'] === 'number') m.maximum = a.schema['maximum'];
  return m;
}

function optMeta(name: string, o: ContractOption): OptMeta {
  const itemSchema = o.repeatable
    ? ((o.schema['items'] as JsonSchema | undefined) ?? o.schema)
    : o.schema;
  const type = typeOf(itemSchema);
  const m: OptMeta = {
    name,
    key: optionKey(name),
    flags: [`--${name}`, ...(o.aliases ?? [])],
    type,
    takesValue: type !== 'boolean',
    negate: name.startsWith('no-'),
    repeatable: o.repeatable === true,
    required: o.required === true,
  };
  if (Array.isArray(itemSchema['enum'])) m.enum = itemSchema['enum'] as string[];
  if (typeof itemSchema['minimum'] === 'number') m.minimum = itemSchema['minimum'];
  if (typeof itemSchema['maximum'] === 'number') m.maximum = itemSchema['maximum'];
  if (o.schema['default'] !== undefined) m.default = o.schema['default'];
  return m;
}

function commandsMeta(contract: CliContract): string {
  const meta: Record<string, unknown> = {};
  for (const [id, cmd] of Object.entries(contract.commands)) {
    meta[id] = {
      path: id.split('.'),
      handler: handlerFile(id, cmd),
      fastLane: cmd.fast_lane === true,
      llm: cmd.llm === true,
      // opens the campaign: the config file's `campaign` applies to it
      database: [...(cmd.effects.reads ?? []), ...(cmd.effects.writes ?? [])].includes('database'),
      schemaVersion: schemaVersion(contract, cmd) ?? null,
      exits: Object.keys(cmd.exits).map(Number),
      args: (cmd.arguments ?? []).map(argMeta),
      options: Object.entries(cmd.options ?? {}).map(([n, o]) => optMeta(n, o)),
    };
  }
  const globals = Object.entries(contract.global_options).map(([n, o]) => optMeta(n, o));
  const examples = Object.fromEntries(
    Object.entries(contract.commands).map(([id, c]) => [id, c.examples ?? []]),
  );
  return [
    HEADER,
    "import type { CommandId } from './types.ts';",
    '',
    'export interface ArgMeta { name: string; key: string; required: boolean; variadic: boolean; type: string; enum?: string[]; minimum?: number; maximum?: number }',
    'export interface OptMeta { name: string; key: string; flags: string[]; type: string; takesValue: boolean; negate: boolean; enum?: string[]; minimum?: number; maximum?: number; default?: unknown; repeatable: boolean; required: boolean }',
    'export interface CommandMeta { path: string[]; handler: string; fastLane: boolean; llm: boolean; database: boolean; schemaVersion: string | null; exits: number[]; args: ArgMeta[]; options: OptMeta[] }',
    'export interface Example { command: string; description: string; exit?: number; skip_conformance?: boolean; stdout_format?: string }',
    '',
    `export const VERSION = ${lit(contract.info.version)};`,
    `export const commands: Record<CommandId, CommandMeta> = ${JSON.stringify(meta, null, 2)};`,
    '',
    `export const globalOptions: OptMeta[] = ${JSON.stringify(globals, null, 2)};`,
    '',
    `export const examples: Record<CommandId, Example[]> = ${JSON.stringify(examples, null, 2)};`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- program.ts (Commander)
function flagsFor(name: string, o: ContractOption): string {
  const shorts = (o.aliases ?? []).filter((a) => /^-[a-zA-Z]$/.test(a));
  const longs = (o.aliases ?? []).filter((a) => a.startsWith('--'));
  const itemSchema = o.repeatable
    ? ((o.schema['items'] as JsonSchema | undefined) ?? o.schema)
    : o.schema;
  const isBool = typeOf(itemSchema) === 'boolean';
  const value = isBool ? '' : ` <${o.value_name ?? name}>`;
  return [...shorts, `--${name}`, ...longs].join(', ') + value;
}

function optionCode(name: string, o: ContractOption, target: string): string[] {
  const m = optMeta(name, o);
  const out: string[] = [];
  const desc = o.description + (m.enum ? '' : '');
  out.push(`  {`);
  out.push(`    const o = new Option(${lit(flagsFor(name, o))}, ${lit(desc)});`);
  if (m.enum) out.push(`    o.choices(${lit(m.enum)});`);
  const parser = parserExpr(m.name, m.type, m.enum, m.minimum, m.maximum, `--${name}`);
  if (m.repeatable) out.push(`    o.argParser(h.collect(${parser ?? 'undefined'}));`);
  else if (parser) out.push(`    o.argParser(${parser});`);
  if (m.default !== undefined && !m.negate) out.push(`    o.default(${lit(m.default)});`);
  if (m.required) out.push(`    o.makeOptionMandatory(true);`);
  if (o.hidden) out.push(`    o.hideHelp();`);
  out.push(`    ${target}.addOption(o);`);
  out.push(`  }`);
  return out;
}

function parserExpr(
  name: string,
  type: string,
  en: string[] | undefined,
  min: number | undefined,
  max: number | undefined,
  label: string,
): string | undefined {
  if (en) return `h.parseChoice(${lit(label)}, ${lit(en)})`;
  if (type === 'integer' || type === 'number') {
    return `h.parseNumber(${lit(label)}, ${type === 'integer'}, ${min ?? 'undefined'}, ${max ?? 'undefined'})`;
  }
  void name;
  return undefined;
}

function program(contract: CliContract): string {
  const lines: string[] = [
    HEADER,
    "import { Argument, Command, Option } from 'commander';",
    "import type { CommandId } from './types.ts';",
    '',
    'export interface ProgramHooks {',
    '  /** runs a command: positional values in contract order, then the Commander command */',
    '  run(id: CommandId, positionals: unknown[], command: Command): Promise<void>;',
    '  parseNumber(label: string, integer: boolean, min?: number, max?: number): (value: string) => number;',
    '  parseChoice(label: string, choices: readonly string[]): (value: string) => string;',
    '  collect<T>(parse?: (value: string) => T): (value: string, previous: T[] | undefined) => T[];',
    '  examples(id: CommandId | null): string;',
    '  /** applied to the root before any subcommand is made, so subcommands inherit it */',
    '  configure(program: Command): void;',
    '}',
    '',
    '/** The dma Commander program, built from cli-contract.yaml. */',
    'export function buildProgram(h: ProgramHooks): Command {',
    `  const program = new Command(${lit(contract.info.title)});`,
    '  h.configure(program);',
    `  program.version(${lit(contract.info.version)}, '-V, --version', 'Print the version.');`,
    `  program.description(${lit(contract.info.description ?? '')});`,
    "  program.helpOption('-h, --help', 'Show help.');",
    "  program.addHelpText('after', () => h.examples(null));",
  ];
  for (const [name, o] of Object.entries(contract.global_options))
    lines.push(...optionCode(name, o, 'program'));

  const groups = new Map<string, string>([['', 'program']]);
  let counter = 0;
  const ensureGroup = (path: string[]): string => {
    const key = path.join('.');
    const existing = groups.get(key);
    if (existing) return existing;
    const parent = ensureGroup(path.slice(0, -1));
    const v = `g${counter++}`;
    const own = contract.commands[key];
    lines.push(`  const ${v} = ${parent}.command(${lit(path[path.length - 1])});`);
    if (!own) {
      const prefix = key + '.';
      const subs = Object.keys(contract.commands)
        .filter((id) => id.startsWith(prefix))
        .map((id) => id.slice(prefix.length).split('.')[0]!)
        .filter((w, i, a) => a.indexOf(w) === i);
      lines.push(`  ${v}.summary(${lit(`${subs.join(', ')}`)});`);
    }
    groups.set(key, v);
    return v;
  };

  for (const [id, cmd] of Object.entries(contract.commands)) {
    const path = id.split('.');
    const v = ensureGroup(path);
    lines.push(`  ${v}.summary(${lit(cmd.summary)});`);
    lines.push(`  ${v}.description(${lit((cmd.description ?? cmd.summary).trim())});`);
    if (cmd.hidden) lines.push(`  // hidden command`);
    for (const a of cmd.arguments ?? []) {
      const m = argMeta(a);
      const label = `${m.required ? '<' : '['}${a.name}${a.variadic ? '...' : ''}${m.required ? '>' : ']'}`;
      lines.push(`  {`);
      lines.push(`    const a = new Argument(${lit(label)}, ${lit(a.description)});`);
      if (m.enum) lines.push(`    a.choices(${lit(m.enum)});`);
      const p = parserExpr(a.name, m.type, m.enum, m.minimum, m.maximum, `<${a.name}>`);
      if (p && a.variadic) lines.push(`    a.argParser(h.collect(${p}));`);
      else if (p) lines.push(`    a.argParser(${p});`);
      lines.push(`    ${v}.addArgument(a);`);
      lines.push(`  }`);
    }
    for (const [name, o] of Object.entries(cmd.options ?? {}))
      lines.push(...optionCode(name, o, v));
    lines.push(`  ${v}.addHelpText('after', () => h.examples(${lit(id)}));`);
    const nArgs = (cmd.arguments ?? []).length;
    lines.push(
      `  ${v}.action(async (...a: unknown[]) => h.run(${lit(id)}, a.slice(0, ${nArgs}), a[a.length - 1] as Command));`,
    );
  }
  lines.push('  return program;', '}', '');
  return lines.join('\n');
}

// ---------------------------------------------------------------- completions
function completions(contract: CliContract): string {
  const ids = Object.keys(contract.commands);
  const children = new Map<string, Set<string>>();
  for (const id of ids) {
    const p = id.split('.');
    for (let i = 0; i < p.length; i++) {
      const parent = p.slice(0, i).join(' ');
      if (!children.has(parent)) children.set(parent, new Set());
      children.get(parent)!.add(p[i]!);
    }
  }
  const globalFlags = Object.entries(contract.global_options).flatMap(([n, o]) => [
    `--${n}`,
    ...(o.aliases ?? []),
  ]);
  const flagsOf = (id: string) => {
    const cmd = contract.commands[id]!;
    return [
      ...Object.entries(cmd.options ?? {}).flatMap(([n, o]) => [`--${n}`, ...(o.aliases ?? [])]),
      ...globalFlags,
      '--help',
    ];
  };
  const enumArgs = (id: string) =>
    (contract.commands[id]!.arguments ?? []).flatMap((a) =>
      Array.isArray(a.schema['enum']) ? (a.schema['enum'] as string[]) : [],
    );

  // bash
  const bashCases: string[] = [];
  for (const [parent, kids] of [...children.entries()].sort()) {
    const words = [...kids].sort();
    const own = ids.includes(parent.replace(/ /g, '.'))
      ? [...flagsOf(parent.replace(/ /g, '.')), ...enumArgs(parent.replace(/ /g, '.'))]
      : [];
    bashCases.push(
      `    ${lit(parent)}) opts=${lit([...words, ...own, ...(parent === '' ? [...globalFlags, '--help', '--version'] : [])].join(' '))} ;;`,
    );
  }
  for (const id of ids) {
    const key = id.replace(/\./g, ' ');
    if (children.has(key)) continue;
    bashCases.push(`    ${lit(key)}) opts=${lit([...flagsOf(id), ...enumArgs(id)].join(' '))} ;;`);
  }
  const bash = `# bash completion for dma (generated from cli-contract.yaml)
_dma() {
  local cur words path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if [[ -z "$path" ]]; then path="$w"; else path="$path $w"; fi
    case "$path" in
${[...children.keys(), ...ids.map((i) => i.replace(/\./g, ' '))]
  .filter((v, i, a) => v && a.indexOf(v) === i)
  .sort()
  .map((p) => `      ${lit(p)}) ;;`)
  .join('\n')}
      *) path="\${path% *}" ;;
    esac
  done
  local opts=""
  case "$path" in
${bashCases.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _dma dma
`;

  // zsh: reuse bash completion through bashcompinit
  const zsh = `#compdef dma
# zsh completion for dma (generated from cli-contract.yaml)
autoload -U +X bashcompinit && bashcompinit
${bash}`;

  // fish: every condition names the full command path (`__dma_at bus export`), so a
  // subcommand word shared by two groups (export, create, list, show, …) never offers one
  // command's options for another. __dma_path is the longest known path among the words
  // typed so far (options and their values skipped).
  const paths = [...children.keys(), ...ids.map((i) => i.replace(/\./g, ' '))]
    .filter((v, i, a) => v && a.indexOf(v) === i)
    .sort();
  const at = (path: string) => lit(`__dma_at${path ? ` ${path}` : ''}`);
  const fishLines = [
    '# fish completion for dma (generated from cli-contract.yaml)',
    `set -g __dma_paths ${paths.map((p) => lit(p)).join(' ')}`,
    'function __dma_path',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l path',
    '    for w in $words',
    "        string match -q -- '-*' $w; and continue",
    "        contains -- (string join ' ' $path $w) $__dma_paths; and set path $path $w",
    '    end',
    "    string join ' ' $path",
    'end',
    'function __dma_at',
    '    set -l path (__dma_path)',
    '    test "$path" = "$argv"',
    'end',
    'complete -c dma -f',
  ];
  for (const [n, o] of Object.entries(contract.global_options)) {
    const short = (o.aliases ?? []).find((a) => /^-[a-zA-Z]$/.test(a));
    fishLines.push(
      `complete -c dma -l ${n}${short ? ` -s ${short.slice(1)}` : ''} -d ${lit(o.description)}`,
    );
  }
  for (const [parent, kids] of [...children.entries()].sort()) {
    for (const k of [...kids].sort()) {
      const id = parent === '' ? k : `${parent.replace(/ /g, '.')}.${k}`;
      const cmd = contract.commands[id];
      fishLines.push(
        `complete -c dma -n ${at(parent)} -a ${k} -d ${lit(cmd?.summary ?? `${k} commands`)}`,
      );
    }
  }
  for (const id of ids) {
    const path = id.replace(/\./g, ' ');
    for (const [n, o] of Object.entries(contract.commands[id]!.options ?? {})) {
      const en = Array.isArray(o.schema['enum'])
        ? ` -r -a ${lit((o.schema['enum'] as string[]).join(' '))}`
        : '';
      fishLines.push(`complete -c dma -n ${at(path)} -l ${n}${en} -d ${lit(o.description)}`);
    }
    const en = enumArgs(id);
    if (en.length) fishLines.push(`complete -c dma -n ${at(path)} -a ${lit(en.join(' '))}`);
  }
  const fish = fishLines.join('\n') + '\n';

  return `${HEADER}\nexport const completions = ${JSON.stringify({ bash, zsh, fish }, null, 2)} as const;\n`;
}

// ---------------------------------------------------------------- docs/cli.md
function schemaDoc(contract: CliContract, s: JsonSchema): string {
  return JSON.stringify(resolveDeep(contract, s, 0), null, 2);
}
function resolveDeep(contract: CliContract, s: unknown, depth: number): unknown {
  if (Array.isArray(s)) return s.map((v) => resolveDeep(contract, v, depth));
  if (s && typeof s === 'object') {
    const o = s as Record<string, unknown>;
    if (typeof o['$ref'] === 'string' && depth < 4)
      return resolveDeep(contract, resolve(contract, o), depth + 1);
    return Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, resolveDeep(contract, v, depth)]),
    );
  }
  return s;
}

function schemaSummary(s: JsonSchema): string {
  const parts: string[] = [typeOf(s) === 'integer' ? 'integer' : typeOf(s)];
  if (Array.isArray(s['enum']))
    parts[0] = (s['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (typeof s['minimum'] === 'number' || typeof s['maximum'] === 'number') {
    parts.push(`${s['minimum'] ?? '…'}–${s['maximum'] ?? '…'}`);
  }
  return parts.join(', ');
}

function docs(contract: CliContract): string {
  const out: string[] = [
    '<!-- Generated from cli-contract.yaml by `npm run generate` — do not edit by hand. -->',
    `# ${contract.info.title} ${contract.info.version} — command reference`,
    '',
    contract.info.description ?? '',
    '',
    '## Global options',
    '',
    '| option | value | default | description |',
    '|---|---|---|---|',
  ];
  for (const [n, o] of Object.entries(contract.global_options)) {
    out.push(
      `| \`${flagsFor(n, o)}\` | ${schemaSummary(o.schema)} | ${o.schema['default'] === undefined ? '' : `\`${String(o.schema['default'])}\``} | ${o.description} |`,
    );
  }
  out.push('', '## Exit codes', '', '| code | name | meaning |', '|---|---|---|');
  for (const [code, e] of Object.entries(contract.components.exits))
    out.push(`| ${code} | ${e.name} | ${e.description} |`);
  out.push('', '## Commands', '');
  for (const id of Object.keys(contract.commands)) {
    out.push(
      `- [\`dma ${id.replace(/\./g, ' ')}\`](#dma-${id.replace(/\./g, '-')}) — ${contract.commands[id]!.summary}`,
    );
  }
  for (const [id, cmd] of Object.entries(contract.commands)) {
    const words = id.replace(/\./g, ' ');
    const args = (cmd.arguments ?? []).map((a) => {
      const req = a.required !== false && !a.variadic;
      return `${req ? '<' : '['}${a.name}${a.variadic ? '...' : ''}${req ? '>' : ']'}`;
    });
    out.push(
      '',
      `<a id="dma-${id.replace(/\./g, '-')}"></a>`,
      `### dma ${words}`,
      '',
      cmd.summary,
      '',
    );
    if (cmd.description) out.push(cmd.description.trim(), '');
    out.push(
      '```',
      `dma ${words}${args.length ? ' ' + args.join(' ') : ''}${cmd.options ? ' [options]' : ''}`,
      '```',
      '',
    );
    if (cmd.arguments?.length) {
      out.push('| argument | value | required | description |', '|---|---|---|---|');
      for (const a of cmd.arguments) {
        out.push(
          `| \`${a.name}\` | ${schemaSummary(a.schema)}${a.variadic ? ' (one or more)' : ''} | ${a.required !== false && !a.variadic ? 'yes' : 'no'} | ${a.description} |`,
        );
      }
      out.push('');
    }
    if (cmd.options && Object.keys(cmd.options).length) {
      out.push('| option | value | default | description |', '|---|---|---|---|');
      for (const [n, o] of Object.entries(cmd.options)) {
        const def = o.schema['default'];
        out.push(
          `| \`${flagsFor(n, o)}\` | ${schemaSummary(o.repeatable ? ((o.schema['items'] as JsonSchema) ?? o.schema) : o.schema)}${o.repeatable ? ', repeatable' : ''}${o.required ? ', **required**' : ''} | ${def === undefined ? '' : `\`${String(def)}\``} | ${o.description} |`,
        );
      }
      out.push('');
    }
    out.push('Exit codes:', '');
    for (const [code, e] of Object.entries(cmd.exits)) {
      const shared = contract.components.exits[code];
      const streams = [
        e.stdout ? `stdout ${e.stdout.format}` : '',
        e.stderr ? `stderr ${e.stderr.format}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `- **${code}** ${shared?.name ?? ''}${e.description ? ` — ${e.description}` : ''}${(e.stdout?.description ?? e.stderr?.description) ? ` — ${e.stdout?.description ?? e.stderr?.description}` : ''}${streams ? ` (${streams})` : ''}`,
      );
    }
    const eff = cmd.effects;
    out.push(
      '',
      `Effects: reads ${eff.reads?.join(', ') || 'nothing'}; writes ${eff.writes?.join(', ') || 'nothing'}; network ${eff.network ? 'yes' : 'no'}; risk ${eff.risk}.`,
    );
    if (cmd['x-agent']) {
      const x = cmd['x-agent'];
      out.push(
        '',
        `Agent metadata: risk ${x.risk_level}; dry run ${x.safe_dry_run_option ? `\`--${x.safe_dry_run_option}\`` : 'none'}; expected ${x.expected_duration_ms} ms; retryable exits ${x.retryable_exit_codes.join(', ') || 'none'}.`,
      );
    }
    const schema = successSchema(cmd);
    if (schema) {
      out.push(
        '',
        '<details><summary>JSON output schema (exit 0)</summary>',
        '',
        '```json',
        schemaDoc(contract, schema),
        '```',
        '',
        '</details>',
      );
    }
    if (cmd.examples?.length) {
      out.push('', 'Examples:', '', '```sh');
      for (const ex of cmd.examples) out.push(`${ex.command}    # ${ex.description}`);
      out.push('```');
    }
  }
  return out.join('\n') + '\n';
}

/** Lazy loaders of the fast-lane handlers, bundled into the small CommonJS start-up file. */
function fastHandlers(contract: CliContract): string {
  const entries = Object.entries(contract.commands).filter(([, c]) => c.fast_lane);
  return [
    HEADER,
    "import type { CommandId, CommandModule } from './types.ts';",
    '',
    '// eslint-disable-next-line @typescript-eslint/no-explicit-any',
    'export const fastHandlers: Partial<Record<CommandId, () => Promise<CommandModule<any>>>> = {',
    ...entries.map(
      ([id, c]) => `  ${lit(id)}: () => import('../commands/${handlerFile(id, c)}.ts'),`,
    ),
    '};',
    '',
  ].join('\n');
}

export function generateCli(contract: CliContract): GeneratedFile[] {
  return [
    { path: 'src/generated/fast-handlers.ts', content: fastHandlers(contract) },
    { path: INPUT_VALIDATORS_PATH, content: compileInputValidators(contract) },
    { path: OUTPUT_VALIDATORS_PATH, content: compileOutputValidators(contract) },
    { path: CONTRACT_VALIDATOR_PATH, content: compileContractMetaValidator() },
    { path: 'src/generated/types.ts', content: types(contract) },
    { path: 'src/generated/commands.ts', content: commandsMeta(contract) },
    { path: 'src/generated/program.ts', content: program(contract) },
    { path: 'src/generated/completions.ts', content: completions(contract) },
    { path: 'docs/cli.md', content: docs(contract) },
  ];
}
