/**
 * `dma action`: Rules Arbiter → Narrative Director → Response Synthesizer.
 *
 * Start-up matters (a DM waits at the table): this runs in the fast lane, and everything
 * heavy is imported only when needed — Zod for the sheet check, yaml for a YAML sheet, the
 * store for a stored pc or target, the LLM layer for a real adapter or --show-prompt. The
 * mock narration needs only its templates and the compiled guardrails.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  arbitrate,
  enemyCounterattack,
  monsterByName,
  monsterInText,
  type ActionTarget,
} from '../agents/action/arbiter.ts';
import { mockNarration } from '../agents/action/narration.ts';
import { FALLBACK_MESSAGES, synthesize } from '../agents/action/synthesizer.ts';
import type { CharacterSheet, Lang, NarrativeOutput, RulesOutput } from '../contracts/action.ts';
import { entityDataIssue } from '../contracts/entity-rules.ts';
import type { CommandContext } from '../core/context.ts';
import { DmaError, UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import { resolveClassOrGroup } from '../rules/classes.ts';

type Input = Parameters<CommandModule<'action'>['run']>[0];
type Result = Awaited<ReturnType<CommandModule<'action'>['run']>>;

interface LoadedCharacter {
  sheet: CharacterSheet;
  /** set when the character is a stored pc */
  entity?: { id: string; version: number };
}

async function parseSheetFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    if (/^\s*[{[]/.test(text)) return JSON.parse(text);
    const { parse } = await import('yaml');
    return parse(text);
  } catch (err) {
    throw new UsageError(
      `${file} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Validate a sheet against the CharacterSheet contract; the first problem names its field. */
async function checkSheet(data: unknown, source: string): Promise<CharacterSheet> {
  // the pc entity's contract (characterSheetSchema), compiled: no Zod to load
  const issue = entityDataIssue('pc', data);
  const hint = 'see the pc entity schema: docs/cli.md#action, golden/pc-fighter.yaml';
  if (issue) {
    const field = issue.segments.length === 0 ? '(sheet)' : issue.segments.join('.');
    throw new UsageError(`invalid character sheet ${source}: ${field}: ${issue.message}`, {
      hint,
    });
  }
  const sheet = data as CharacterSheet;
  try {
    resolveClassOrGroup(sheet.class);
  } catch (err) {
    throw new UsageError(`invalid character sheet ${source}: class: ${(err as Error).message}`, {
      hint,
    });
  }
  return sheet;
}

async function loadCharacter(input: Input, ctx: CommandContext): Promise<LoadedCharacter> {
  const file = resolve(ctx.cwd, input.character);
  if (existsSync(file) && statSync(file).isFile()) {
    return { sheet: await checkSheet(await parseSheetFile(file), input.character) };
  }
  const { withCampaign } = await import('../store/open.ts');
  return withCampaign(input, ctx, 'read', async (store) => {
    const entity = store.resolve(input.character, { type: 'pc' });
    return {
      sheet: await checkSheet(entity.data, `pc "${entity.name}"`),
      entity: { id: entity.id, version: entity.version },
    };
  });
}

async function resolveTarget(input: Input, ctx: CommandContext): Promise<ActionTarget> {
  const named = input.target === undefined ? undefined : monsterByName(input.target);
  const monster = named ?? (input.target === undefined ? monsterInText(input.text) : undefined);
  if (input.targetAc !== undefined) {
    const name = input.target ?? monster?.name;
    return {
      ...(name === undefined ? {} : { name }),
      ac: input.targetAc,
      acSource: 'option',
      size: monster?.size ?? 'M',
      ...(monster === undefined ? {} : { monster }),
    };
  }
  if (monster !== undefined) {
    return { name: monster.name, ac: monster.ac, acSource: 'monster', size: monster.size, monster };
  }
  if (input.target !== undefined) {
    const { withCampaign } = await import('../store/open.ts');
    const entity = await withCampaign(input, ctx, 'read', (store) => store.resolve(input.target!));
    const ac = (entity.data as { armor_class?: unknown }).armor_class;
    return {
      name: entity.name,
      ...(typeof ac === 'number' ? { ac } : {}),
      acSource: typeof ac === 'number' ? 'entity' : 'default',
      size: 'M',
    };
  }
  return { acSource: 'default', size: 'M' };
}

function machineFormat(input: Input): boolean {
  return input.json === true || (input.reportFormat ?? input.format ?? 'text') !== 'text';
}

function narrateRequest(
  input: Input,
  sheet: CharacterSheet,
  rules: RulesOutput,
  lang: Lang,
  counter: ReturnType<typeof enemyCounterattack>,
) {
  return {
    action: input.text,
    outcome: {
      ...rules.mechanics_result,
      success: rules.success,
      ...(counter === undefined ? {} : { enemy_response: counter }),
    },
    ...(sheet.location === undefined ? {} : { scene: sheet.location }),
    character: sheet.name,
    lang,
    hints: rules.narrative_hints,
  };
}

interface Narrated {
  output?: NarrativeOutput;
  model?: string;
  warnings: string[];
  error?: { code: string; message: string; hint?: string; rateLimited: boolean };
}

async function narrateWithModel(
  input: Input,
  ctx: CommandContext,
  request: ReturnType<typeof narrateRequest>,
): Promise<Narrated> {
  const llm = await import('../llm/index.ts');
  const registries = await llm.loadCompiledRegistries();
  let adapter;
  try {
    adapter = await llm.createAdapter(input.adapter ?? 'mock', {
      env: ctx.env,
      ...(input.model === undefined ? {} : { model: input.model }),
      ...(input.baseUrl === undefined ? {} : { baseUrl: input.baseUrl }),
      ...(input.verbose === true
        ? { onWarning: (m: string) => ctx.warn(`${input.adapter ?? 'mock'}: ${m}`) }
        : {}),
    });
  } catch (err) {
    if (err instanceof DmaError && err.code === 'LLM_ERROR') {
      return {
        warnings: [],
        error: {
          code: err.code,
          message: err.message,
          ...(err.hint === undefined ? {} : { hint: err.hint }),
          rateLimited: false,
        },
      };
    }
    throw err;
  }
  if (!ctx.quiet) ctx.info(`asking ${adapter.name} (${input.model ?? adapter.model}) to narrate…`);
  const r = await llm.runWorkflow<NarrativeOutput>(
    adapter,
    { workflow: 'narrate-action', input: request },
    registries,
    {
      // one deadline for the narration, retries included (issue 12)
      gateway: llm.createGateway({ deadlineMs: (input.timeout ?? 60) * 1000, signal: ctx.signal }),
      ...(input.model === undefined ? {} : { model: input.model }),
    },
  );
  const warnings = r.warnings.map((w) => `${w.guardrail}: ${w.message}`);
  if (r.status === 'error' || r.output === undefined) {
    const message = r.error_message ?? 'the narration failed';
    return {
      model: r.model,
      warnings,
      error: {
        code: 'LLM_ERROR',
        message,
        hint: 'run again, or use --adapter mock',
        rateLimited: /rate.?limit|429|too many requests/i.test(message),
      },
    };
  }
  if (r.status === 'escalated')
    warnings.push(`the narrator escalated: ${r.escalation_reason ?? ''}`);
  return { output: r.output, model: r.model, warnings };
}

export const run: CommandModule<'action'>['run'] = async (input, ctx) => {
  const lang: Lang = input.lang ?? 'en';
  const adapterName = input.adapter ?? 'mock';
  const seed = input.seed ?? randomSeed();
  const rng = createRng(seed);
  const diceRng = rng.fork();
  const narrationRng = rng.fork();
  if (input.dryRun && !input.save) throw new UsageError('--dry-run goes with --save');

  const { sheet, entity } = await loadCharacter(input, ctx);
  if (input.save && entity === undefined) {
    throw new UsageError('--save needs a stored pc; the character is a file', {
      hint: 'dma entity create pc <name> --data @sheet.yaml, then --character <name>',
    });
  }
  const target = await resolveTarget(input, ctx);

  // 1. Rules Arbiter
  const rules = arbitrate({
    action: input.text,
    sheet,
    target,
    rng: diceRng,
    critRule: input.critRule ?? 'none',
  });
  const counter =
    rules.action_type === 'attack' && target.monster !== undefined
      ? enemyCounterattack(target.monster, sheet, diceRng)
      : undefined;
  const request = narrateRequest(input, sheet, rules, lang, counter);
  const base = {
    action: input.text,
    character: sheet.name,
    seed,
    adapter: adapterName,
    lang,
    rules_output: rules,
  };

  if (input.showPrompt) {
    const llm = await import('../llm/index.ts');
    const prompt = llm.buildPrompt(await llm.loadCompiledRegistries(), {
      workflow: 'narrate-action',
      input: request,
    });
    return { ...base, prompt: { system: prompt.system, user: prompt.user } };
  }

  // 2. Narrative Director
  let narrated: Narrated;
  if (adapterName === 'mock') {
    const output = mockNarration({ rules, lang, rng: narrationRng, counterattack: counter });
    const [{ checkGuardrailPolicy }, { dslRegistries }] = await Promise.all([
      import('../llm/guardrails.ts'),
      import('../generated/dsl/registry.ts'),
    ]);
    const violations = checkGuardrailPolicy(dslRegistries, 'narration-policy', output);
    const blocking = violations.find((v) => v.action === 'block');
    if (blocking !== undefined) {
      throw new DmaError(
        'UNEXPECTED',
        `offline narration broke ${blocking.guardrail}: ${blocking.message}`,
      );
    }
    narrated = { output, model: 'mock-templates', warnings: violations.map((v) => v.message) };
  } else {
    narrated = await narrateWithModel(input, ctx, request);
  }
  // The rules decide what the enemies did; the narrator only words it.
  const enemyAttacks = narrated.output?.game_state_updates.enemy_attacks ?? [];
  if (narrated.output !== undefined) {
    narrated.output.game_state_updates.enemy_attacks =
      counter === undefined || !counter.hit
        ? []
        : [{ attacker: counter.attacker, damage: counter.damage }];
    if (
      adapterName !== 'mock' &&
      JSON.stringify(enemyAttacks) !==
        JSON.stringify(narrated.output.game_state_updates.enemy_attacks)
    ) {
      narrated.warnings.push('enemy_attacks replaced by the rolled counterattack');
    }
  }
  const damageTaken = (narrated.output?.game_state_updates.enemy_attacks ?? []).reduce(
    (s, a) => s + a.damage,
    0,
  );
  const hpAfter = Math.max(0, sheet.hp - damageTaken);

  // 3. Response Synthesizer
  const fallback =
    narrated.error === undefined
      ? undefined
      : FALLBACK_MESSAGES[lang][narrated.error.rateLimited ? 'rate_limit' : 'llm_error'];
  const synth = synthesize({
    rules,
    narrative: narrated.output,
    ...(fallback === undefined ? {} : { fallback }),
    character: { name: sheet.name, hp: hpAfter, max_hp: sheet.max_hp, location: sheet.location },
    lang,
  });

  // --save: the HP change, with optimistic concurrency
  let saved = false;
  let entityVersion: number | undefined;
  if (input.save && entity !== undefined && hpAfter !== sheet.hp) {
    const { withCampaign } = await import('../store/open.ts');
    const updated = await withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', (store) =>
      store.update(
        entity.id,
        { data: { ...sheet, hp: hpAfter } },
        { expectVersion: entity.version, dryRun: input.dryRun === true },
      ),
    );
    saved = input.dryRun !== true;
    entityVersion = updated.version;
  }

  if (narrated.error !== undefined && !machineFormat(input)) {
    ctx.warn(
      `${narrated.error.message}${narrated.error.hint === undefined ? '' : ` (${narrated.error.hint})`}`,
    );
  }
  const { rateLimited: _r, ...error } = narrated.error ?? { rateLimited: false };
  return {
    ...base,
    ...(narrated.model === undefined ? {} : { model: narrated.model }),
    ...(narrated.output === undefined ? {} : { narrative_output: narrated.output }),
    synthesizer_output: synth,
    final_message: synth.final_message,
    hp_before: sheet.hp,
    hp_after: hpAfter,
    ...(input.save ? { saved, dry_run: input.dryRun === true } : {}),
    ...(entityVersion === undefined ? {} : { entity_version: entityVersion }),
    ...(narrated.warnings.length === 0 ? {} : { warnings: narrated.warnings }),
    ...(narrated.error === undefined ? {} : { error: error as { code: string; message: string } }),
  } satisfies Result;
};

export const text: CommandModule<'action'>['text'] = (r) =>
  r.prompt !== undefined
    ? `=== system ===\n${r.prompt.system}\n\n=== user ===\n${r.prompt.user}\n`
    : (r.final_message ?? '');

export const exitCode: CommandModule<'action'>['exitCode'] = (r) =>
  r.error === undefined ? 0 : 12;
