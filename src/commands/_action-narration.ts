/**
 * The Narrative Director's step of `dma action`: the offline templates (checked against
 * the compiled guardrails) or a model through the LLM layer, imported only when used. The
 * rules, not the narrator, decide what the enemies did and where the fight stands.
 */
import type { EnemyAttack } from '../agents/action/enemies.ts';
import { gameStateFor, mockNarration } from '../agents/action/narration.ts';
import type { CharacterSheet, Lang, NarrativeOutput, RulesOutput } from '../contracts/action.ts';
import type { CommandContext } from '../core/context.ts';
import { DmaError, isDmaError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import { lazy } from './_lazy.ts';

type Input = Parameters<CommandModule<'action'>['run']>[0];

export function narrateRequest(
  input: Input,
  sheet: CharacterSheet,
  rules: RulesOutput,
  lang: Lang,
  counter: readonly EnemyAttack[],
) {
  return {
    action: input.text,
    outcome: {
      ...rules.mechanics_result,
      success: rules.success,
      // only what was rolled: no enemy answer is narrated unless one was rolled
      enemy_attacks_rolled: counter.map((a) => ({
        attacker: a.attacker,
        hit: a.hit,
        damage: a.damage,
      })),
    },
    ...(sheet.location === undefined ? {} : { scene: sheet.location }),
    character: sheet.name,
    lang,
    hints: rules.narrative_hints,
  };
}

export type NarrateRequest = ReturnType<typeof narrateRequest>;

export interface Narrated {
  output?: NarrativeOutput;
  model?: string;
  warnings: string[];
  error?: { code: string; message: string; hint?: string; rateLimited: boolean };
}

/** What the offline narration words: the rules, the enemies' rolled attacks, the fight. */
export interface Scene {
  rules: RulesOutput;
  lang: Lang;
  rng: Rng;
  attacks: EnemyAttack[];
  combat: { enemies: string[]; ended: boolean } | undefined;
}

async function narrateWithModel(
  input: Input,
  ctx: CommandContext,
  request: NarrateRequest,
): Promise<Narrated> {
  const llm = await lazy(ctx, '_llm-index');
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
    if (isDmaError(err) && err.code === 'LLM_ERROR') {
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

/** The offline templates; a blocking guardrail broken by them is a bug, not a warning. */
async function narrateOffline(scene: Scene, ctx: CommandContext): Promise<Narrated> {
  const output = mockNarration({
    rules: scene.rules,
    lang: scene.lang,
    rng: scene.rng,
    counterattacks: scene.attacks,
    combat: scene.combat,
  });
  const { checkGuardrailPolicy, dslRegistries } = await lazy(ctx, '_guardrails');
  const violations = checkGuardrailPolicy(dslRegistries, 'narration-policy', output);
  const blocking = violations.find((v) => v.action === 'block');
  if (blocking !== undefined) {
    throw new DmaError(
      'UNEXPECTED',
      `offline narration broke ${blocking.guardrail}: ${blocking.message}`,
    );
  }
  return { output, model: 'mock-templates', warnings: violations.map((v) => v.message) };
}

/** The narration, its game state replaced by the rolled one (a model's differing is a warning). */
export async function narrate(
  input: Input,
  ctx: CommandContext,
  adapterName: string,
  request: NarrateRequest,
  scene: Scene,
): Promise<Narrated> {
  const mock = adapterName === 'mock';
  const narrated = mock
    ? await narrateOffline(scene, ctx)
    : await narrateWithModel(input, ctx, request);
  if (narrated.output !== undefined) {
    const rolled = gameStateFor(scene.attacks, scene.combat);
    if (!mock && JSON.stringify(narrated.output.game_state_updates) !== JSON.stringify(rolled)) {
      narrated.warnings.push('game_state_updates replaced by the rolled state');
    }
    narrated.output.game_state_updates = rolled;
  }
  return narrated;
}
