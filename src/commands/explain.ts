import { rollLogSteps } from '../core/roll-log.ts';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { commands } from '../generated/commands.ts';
import type {
  CommandId,
  CommandInputs,
  CommandModule,
  CommandOutputs,
} from '../generated/types.ts';
import { hitPointRange, hitPointRule } from '../rules/npc.ts';
import { resolveClass } from '../rules/classes.ts';
import type { Derivation } from '../rules/derivation.ts';
import { isRulesLookup, RULES_LOOKUPS, type RulesLookup } from '../rules/lookups.ts';
import { monsterThac0, thac0 } from '../rules/thac0.ts';
import { saves } from '../rules/saves.ts';
import { promptRaw, runLlmWorkflow, showPrompt } from './_llm.ts';
import { lazy } from './_lazy.ts';

type Input = CommandInputs['explain'];

interface Step {
  description: string;
  value?: unknown;
  source?: string;
}

interface Subject {
  question: string;
  subject: { kind: 'rule' | 'entity'; topic?: string; id?: string; name?: string };
  result: unknown;
  steps: Step[];
}

/** `explain monster <name>`: the catalogue entry and the creature THAC0 table behind it. */
async function monsterSubject(
  words: string[],
  ctx: Pick<CommandContext, 'load'>,
): Promise<Subject> {
  const name = words.join(' ').trim();
  if (name === '')
    throw new UsageError('monster needs <name>', { hint: 'e.g. dma explain monster bugbear' });
  const { resolveMonster, thac0HitDice } = await lazy(ctx, '_monsters');
  const m = resolveMonster(name);
  const source = m.source;
  const fightsAs = m.attacks_as ?? m.hd;
  // the Hit Dice it fights as, counted as DMG Table 39 counts them (+3 hp or more: one more)
  const counted = thac0HitDice(fightsAs);
  const t = monsterThac0(counted === 0 ? '1/2' : String(counted));
  const entry = {
    hd: m.hd,
    ac: m.ac,
    thac0: m.thac0,
    movement: m.movement,
    attacks: m.attacks,
    damage: m.damage,
    xp: m.xp,
    size: m.size,
    morale: m.morale,
    number_appearing: m.number_appearing,
  };
  const result = { hd: m.hd, ac: m.ac, thac0: m.thac0, xp: m.xp };
  return {
    question: `What are the statistics of the ${m.name}, and why is its THAC0 ${m.thac0}?`,
    subject: { kind: 'rule', topic: 'monster', name: m.name },
    result,
    steps: [
      { description: `Looked up the ${m.name} in the monster catalogue`, value: entry, source },
      ...(m.attacks_as === undefined
        ? []
        : [
            {
              description: `its entry says it attacks as a ${m.attacks_as} Hit Dice creature`,
              source,
            },
          ]),
      ...stepsOf(t.derivation).map((s) => ({
        ...s,
        description: `THAC0 ${t.thac0} for Hit Dice ${fightsAs} (counted as ${counted === 0 ? 'less than 1' : counted}): ${s.description}`,
      })),
    ],
  };
}

/** The derivation of the rules engine as the steps the explain-request handoff takes. */
function stepsOf(d: Derivation): Step[] {
  return [
    ...d.uses.map((u) => ({
      description: `Looked up the ${u.table} table at ${u.row}`,
      source: u.source,
    })),
    ...d.adjustments.map((a) => ({
      description: `${a.label}${a.applies_to ? ` (${a.applies_to})` : ''}`,
      value: a.value,
      source: a.source,
    })),
    ...d.notes.map((n) => ({ description: `note: ${n}` })),
  ];
}

/** `explain <topic> <args…>`: the topic command's own handler, with --explain. */
async function ruleSubject(
  topic: RulesLookup,
  words: string[],
  input: Input,
  ctx: CommandContext,
): Promise<Subject> {
  const meta = commands[topic];
  if (words.length > meta.args.length) {
    throw new UsageError(
      `too many arguments for ${topic}: ${words.slice(meta.args.length).join(' ')}`,
    );
  }
  const args: Record<string, unknown> = {};
  meta.args.forEach((a, i) => {
    const w = words[i];
    if (w === undefined) return;
    if (a.type === 'integer') {
      const n = Number(w);
      if (
        !/^-?\d+$/.test(w) ||
        (a.minimum !== undefined && n < a.minimum) ||
        (a.maximum !== undefined && n > a.maximum)
      ) {
        throw new UsageError(
          `invalid value "${w}" for <${a.name}> of ${topic}: expected an integer from ${a.minimum ?? '…'} to ${a.maximum ?? '…'}`,
        );
      }
      args[a.key] = n;
    } else {
      args[a.key] = w;
    }
  });
  const missing = meta.args.find((a) => a.required && args[a.key] === undefined);
  if (missing)
    throw new UsageError(`${topic} needs <${missing.name}>`, {
      hint: `e.g. dma explain ${topic} --help`,
    });
  // The explain command's options that the topic command also takes (--vs, --ac, --str, …).
  const all = input as Record<string, unknown>;
  for (const o of meta.options)
    if (all[o.key] !== undefined && o.key !== 'format') args[o.key] = all[o.key];
  const required = meta.options.find((o) => o.required && args[o.key] === undefined);
  if (required) throw new UsageError(`${topic} needs ${required.flags.at(-1) ?? required.name}`);
  // the command of the same name (src/rules/lookups.ts names the lookups), loaded only now,
  // through the CLI; `satisfies` keeps every lookup a command
  const mod = (await ctx.loadCommand(topic satisfies CommandId)) as CommandModule<CommandId>;
  const r = (await mod.run({ ...args, explain: true } as never, ctx)) as Record<string, unknown>;
  const result = RULES_LOOKUPS[topic].answer(r);
  return {
    question: `Why does \`dma ${[topic, ...words].join(' ')}${optionsText(meta.options, args)}\` give ${JSON.stringify(result)}?`,
    subject: { kind: 'rule', topic },
    result,
    steps: stepsOf(r.explain as Derivation),
  };
}

function optionsText(
  options: (typeof commands)[CommandId]['options'],
  args: Record<string, unknown>,
): string {
  return options
    .filter((o) => args[o.key] !== undefined)
    .map(
      (o) => ` ${o.flags.at(-1) ?? o.name}${args[o.key] === true ? '' : ` ${String(args[o.key])}`}`,
    )
    .join('');
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `explain <npc>`: its roll log, then the tables behind its THAC0, saves and hit points. */
async function entitySubject(ref: string, input: Input, ctx: CommandContext): Promise<Subject> {
  const { withCampaign } = await lazy(ctx, '_store');
  const entity = await withCampaign(input, ctx, 'read', (store) => store.resolve(ref));
  const d = entity.data;
  const steps: Step[] = [];
  // a stored roll log is compact text (src/core/roll-log.ts); older records hold the array
  const log: unknown[] = rollLogSteps(d.roll_log) ?? [];
  for (const roll of log.filter(isObj)) {
    const what = String(roll.what ?? roll.step ?? roll.table ?? 'roll');
    const dice =
      roll.dice === undefined
        ? ''
        : ` (${String(roll.dice)}${Array.isArray(roll.rolls) ? `: ${roll.rolls.join(', ')}` : ''})`;
    steps.push({
      description: `rolled ${what}${dice}`,
      value: roll.total ?? roll.result,
      ...(typeof roll.source === 'string' ? { source: roll.source } : {}),
    });
  }
  let klass;
  try {
    klass = typeof d.class === 'string' ? resolveClass(d.class) : undefined;
  } catch {
    klass = undefined;
  }
  const level = typeof d.level === 'number' ? d.level : undefined;
  if (klass !== undefined && level !== undefined && level >= 1) {
    const t = thac0(klass, level);
    steps.push(
      ...stepsOf(t.derivation).map((s) => ({
        ...s,
        description: `THAC0 ${t.thac0}: ${s.description}`,
      })),
    );
    const s = saves(klass, level);
    steps.push(
      ...stepsOf(s.derivation).map((x) => ({
        ...x,
        description: `saving throws: ${x.description}`,
      })),
    );
    const con =
      isObj(d.abilities) && typeof d.abilities.con === 'number' ? d.abilities.con : undefined;
    if (con !== undefined && con >= 1 && con <= 25) {
      const hp = hitPointRange(klass, level, con);
      const rule = hitPointRule(klass, level, con);
      steps.push({
        description: `hit points: ${rule.dice_levels}d${rule.hit_die} with Constitution ${con} (${rule.con_adjustment >= 0 ? '+' : ''}${rule.con_adjustment} per die) allow ${hp.min}-${hp.max}`,
        value: d.hit_points ?? d.max_hp,
        source: rule.source,
      });
    }
  }
  if (steps.length === 0) {
    throw new UsageError(`${entity.name} has no roll log or class and level to explain`);
  }
  const result = {
    ...(d.class === undefined ? {} : { class: d.class }),
    ...(d.level === undefined ? {} : { level: d.level }),
    ...(d.hit_points === undefined ? {} : { hit_points: d.hit_points }),
    ...(d.thac0 === undefined ? {} : { thac0: d.thac0 }),
  };
  return {
    question: `How were the numbers of ${entity.type} "${entity.name}" found?`,
    subject: { kind: 'entity', id: entity.id, name: entity.name },
    result,
    steps,
  };
}

export const run: CommandModule<'explain'>['run'] = async (input, ctx) => {
  const words = input.what ?? [];
  if (words.length === 0) throw new UsageError('explain what? e.g. `dma explain thac0 fighter 5`');
  const topic = words[0]!.toLowerCase();
  const s =
    topic === 'monster' && words.length > 1
      ? await monsterSubject(words.slice(1), ctx)
      : isRulesLookup(topic)
        ? await ruleSubject(topic, words.slice(1), input, ctx)
        : await entitySubject(words.join(' '), input, ctx);
  const request = { question: s.question, derivation: { result: s.result, steps: s.steps } };
  if (input.showPrompt) {
    return (await showPrompt('explain-rule', request, ctx)) as CommandOutputs['explain'];
  }
  const { output, metadata, llm } = await runLlmWorkflow<{
    explanation: string;
    citations: string[];
  }>('explain', 'explain-rule', request, input, ctx, {
    // the prose must agree with the derivation: a follow-up with the discrepancy, then exit 12
    outputChecks: { 'explain-rule': (await lazy(ctx, '_llm-run')).proseCheck.explanationCheck },
  });
  return {
    question: s.question,
    subject: s.subject,
    result: s.result,
    derivation: request.derivation,
    explanation: output.explanation,
    citations: output.citations,
    metadata,
    llm,
  };
};

export const raw: CommandModule<'explain'>['raw'] = (r, input) => promptRaw(r, input);

export const text: CommandModule<'explain'>['text'] = (r) => {
  if (!('explanation' in r)) return '';
  const doc = r as typeof r & {
    question?: string;
    derivation?: { steps?: { description: string; source?: string; value?: unknown }[] };
    metadata?: { adapter?: string };
  };
  const steps = doc.derivation?.steps ?? [];
  // the mock's prose is the steps run together: offline, the numbered steps read better
  const prose = doc.metadata?.adapter === 'mock' && steps.length > 0 ? [] : [r.explanation, ''];
  const lines = [
    ...(doc.question ? [doc.question, ''] : []),
    ...prose,
    ...steps.map(
      (st, i) =>
        `${String(i + 1).padStart(2)}. ${st.description}${st.value === undefined ? '' : ` → ${typeof st.value === 'object' ? JSON.stringify(st.value) : String(st.value)}`}${st.source ? ` [${st.source}]` : ''}`,
    ),
  ];
  if (r.citations.length > 0) lines.push('', `Sources: ${r.citations.join('; ')}`);
  return lines.join('\n');
};
