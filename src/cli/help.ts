/**
 * Help text: one model, one renderer. The model of a command's help (usage, description,
 * sections of term/description items) is read from the Commander program with Commander's
 * own `Help` methods — at build time for every command (dist/help.json, so `dma --help` and
 * `dma <command> --help` print without loading Commander) and at run time for the help
 * Commander prints itself (a command group without its subcommand). The contract's prose is
 * unwrapped here and wrapped to the terminal's width when rendered.
 */
import type { Command, Help } from 'commander';
import { readFileSync } from 'node:fs';
import { examples } from '../generated/commands.ts';
import type { CommandId } from '../generated/types.ts';
import { isTerminal } from './stdio.ts';

export interface HelpModel {
  usage: string;
  description: string;
  sections: { title: string; items: [term: string, description: string][] }[];
}

/** The help model of a command, from Commander's own help helper. */
export function helpModel(cmd: Command, helper: Help): HelpModel {
  const sections: HelpModel['sections'] = [
    {
      title: 'Arguments:',
      items: helper
        .visibleArguments(cmd)
        .map((a) => [helper.argumentTerm(a), helper.argumentDescription(a)]),
    },
    {
      title: 'Options:',
      items: helper
        .visibleOptions(cmd)
        .map((o) => [helper.optionTerm(o), helper.optionDescription(o)]),
    },
    {
      title: 'Commands:',
      items: helper
        .visibleCommands(cmd)
        .map((c) => [helper.subcommandTerm(c), helper.subcommandDescription(c)]),
    },
  ];
  return {
    usage: helper.commandUsage(cmd),
    description: helper.commandDescription(cmd),
    sections: sections.filter((s) => s.items.length > 0),
  };
}

/** The command path of a Commander command (`bus export`), '' for the program. */
export function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/**
 * Hard-wrapped contract prose → paragraphs: a single newline is a space; a blank line, or a
 * line that starts a list item (`- `, `* `, `1. `), starts a new line.
 */
export function unwrap(text: string): string[] {
  const out: string[] = [];
  for (const para of text.trim().split(/\n\s*\n/)) {
    let line = '';
    for (const raw of para.split('\n')) {
      const l = raw.trim();
      if (line !== '' && /^([-*]|\d+\.) /.test(l)) {
        out.push(line);
        line = l;
      } else line = line === '' ? l : `${line} ${l}`;
    }
    out.push(line, '');
  }
  out.pop();
  return out;
}

/** Greedy word wrap of one paragraph; a word longer than the width stays whole. */
function wrapLine(text: string, width: number): string[] {
  if (text === '') return [''];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

export function wrap(text: string, width: number): string[] {
  return unwrap(text).flatMap((p) => wrapLine(p, width));
}

/** Examples of a command (of every command, one each, for the program). */
export function examplesText(id: CommandId | null): string {
  const list =
    id === null
      ? Object.values(examples)
          .map((e) => e[0])
          .filter((e): e is NonNullable<typeof e> => e !== undefined && e.exit === undefined)
      : (examples[id] ?? []).filter((e) => e.exit === undefined);
  if (list.length === 0) return '';
  const width = Math.min(48, Math.max(...list.map((e) => e.command.length)));
  return (
    '\nExamples:\n' +
    list.map((e) => `  ${e.command.padEnd(width)}  # ${e.description}`).join('\n') +
    '\n'
  );
}

/** Commander's layout (usage, description, aligned items), wrapped at `width` columns. */
export function renderHelp(m: HelpModel, width: number): string {
  const termWidth = Math.max(0, ...m.sections.flatMap((s) => s.items.map(([t]) => t.length)));
  const out = [`Usage: ${m.usage}`, ''];
  if (m.description !== '') out.push(...wrap(m.description, width), '');
  const indent = termWidth + 4;
  // too narrow for two columns: descriptions go under their terms
  const narrow = width - indent < 30;
  for (const s of m.sections) {
    out.push(s.title);
    for (const [term, description] of s.items) {
      if (description === '') {
        out.push(`  ${term}`);
        continue;
      }
      if (narrow) {
        out.push(`  ${term}`, ...wrap(description, width - 6).map((l) => `      ${l}`));
        continue;
      }
      const lines = wrap(description, width - indent);
      out.push(`  ${term.padEnd(termWidth)}  ${lines[0]}`);
      for (const l of lines.slice(1)) out.push(`${' '.repeat(indent)}${l}`.trimEnd());
    }
    out.push('');
  }
  return out.join('\n');
}

/** The width help is wrapped to: the terminal's, else 80 (a pipe, a file). */
export const helpWidth = (stream?: NodeJS.WriteStream): number => {
  const out = stream ?? (isTerminal(1) ? process.stdout : undefined);
  return out?.isTTY && out.columns ? out.columns : 80;
};

/**
 * `dma --help`, `dma <command …> --help` (and `-h`) from the models the build wrote to
 * dist/help.json: undefined for anything else, or when there is no such file (tsx, tests
 * in process), and Commander answers.
 */
export function prebuiltHelp(argv: readonly string[]): string | undefined {
  const last = argv[argv.length - 1];
  if (last !== '--help' && last !== '-h') return undefined;
  const words = argv.slice(0, -1);
  if (words.some((w) => w.startsWith('-'))) return undefined;
  let models: Record<string, HelpModel>;
  try {
    if (typeof __dirname !== 'string') return undefined;
    models = JSON.parse(readFileSync(`${__dirname}/help.json`, 'utf8')) as Record<
      string,
      HelpModel
    >;
  } catch {
    return undefined;
  }
  const path = words.join(' ');
  const model = models[path];
  if (model === undefined) return undefined;
  const id = (path === '' ? null : path.replace(/ /g, '.')) as CommandId | null;
  return renderHelp(model, helpWidth()) + examplesText(id);
}
