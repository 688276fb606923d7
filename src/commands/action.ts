/**
 * `dma action`: Rules Arbiter → Narrative Director → Response Synthesizer.
 *
 * Start-up matters (a DM waits at the table): this runs in the fast lane, and everything
 * heavy is imported only when needed — Zod for the sheet check, yaml for a YAML sheet, the
 * store for a stored pc or target, the LLM layer for a real adapter or --show-prompt. The
 * mock narration needs only its templates and the compiled guardrails.
 */
import { existsSync } from 'node:fs';
import {
  arbitrateFull,
  classifyAction,
  monsterByName,
  monsterInText,
  type ActionTarget,
} from '../agents/action/arbiter.ts';
import {
  rollInitiative,
  withPartyModifier,
  type EncounterState,
  type Initiative,
} from '../agents/action/combat.ts';
import { enemyAttacks, type EnemyAttack } from '../agents/action/enemies.ts';
import { gameStateFor, mockNarration } from '../agents/action/narration.ts';
import { localise } from '../agents/action/ru.ts';
import { FALLBACK_MESSAGES, synthesize } from '../agents/action/synthesizer.ts';
import type { CharacterSheet, Lang, NarrativeOutput, RulesOutput } from '../contracts/action.ts';
import type { CommandContext } from '../core/context.ts';
import { DmaError, isDmaError, UsageError } from '../core/errors.ts';
import { createRng, normaliseSeed, randomSeed } from '../core/rng.ts';
import { spellsTable } from '../data/spells.ts';
import type { CommandModule } from '../generated/types.ts';
import { enemyView } from './_combat.ts';
import { loadCharacter } from './_sheet.ts';
import { lazy } from './_lazy.ts';
import { resolveDbPath } from '../store/paths.ts';

type Input = Parameters<CommandModule<'action'>['run']>[0];
type Result = Awaited<ReturnType<CommandModule<'action'>['run']>>;

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
    const { withCampaign } = await lazy(ctx, '_store');
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

interface CombatContext {
  encounter: { id: string; version: number; round: number; seed: number; state: EncounterState };
  member: EncounterState['party'][number];
}

/** The campaign's active fight, when this character is in it (no database: none). */
async function findCombat(
  input: Input,
  ctx: CommandContext,
  sheet: CharacterSheet,
): Promise<CombatContext | undefined> {
  const { path } = resolveDbPath({
    ...(input.db === undefined ? {} : { explicit: input.db }),
    env: ctx.env,
    cwd: ctx.cwd,
  });
  if (path === ':memory:' || !existsSync(path)) return undefined;
  const { withCampaign } = await lazy(ctx, '_store');
  const enc = await withCampaign(input, ctx, 'read', (store) =>
    store.encounters.active<EncounterState>(),
  );
  if (enc === undefined) return undefined;
  const member = enc.state.party.find((p) => p.name === sheet.name);
  if (member === undefined) {
    ctx.warn(
      `${sheet.name} is not in the fight ${enc.id} (${enc.state.party.map((p) => p.name).join(', ')}): resolved on its own`,
    );
    return undefined;
  }
  return { encounter: enc, member };
}

/** The casting time of a spell named in the text, for the initiative (PHB Table 55). */
function castingTimeModifier(text: string): { modifier: number; note?: string } {
  if (classifyAction(text) !== 'spell') return { modifier: 0 };
  const lower = text.toLowerCase();
  const spell = [...spellsTable.spells]
    .sort((a, b) => b.name.length - a.name.length)
    .find((s) => lower.includes(s.name));
  if (spell === undefined) return { modifier: 0 };
  if (/^\d+$/.test(spell.casting_time)) {
    return {
      modifier: Number(spell.casting_time),
      note: `casting ${spell.name}: +${spell.casting_time} to the party's initiative (casting time, PHB Table 55)`,
    };
  }
  return {
    modifier: 10,
    note: `casting ${spell.name} takes ${spell.casting_time}: it goes off at the end of the round (PHB Chapter 9)`,
  };
}

export const run: CommandModule<'action'>['run'] = async (input, ctx) => {
  const lang: Lang = input.lang ?? 'en';
  // an alias (claude) is reported by the adapter's name (anthropic)
  const adapterName =
    input.adapter === undefined || input.adapter === 'mock'
      ? 'mock'
      : (await lazy(ctx, '_llm-index')).findAdapter(input.adapter).name;
  if (input.dryRun && !input.save) throw new UsageError('--dry-run goes with --save');

  const { sheet: loaded, entity } = await loadCharacter(input, ctx);
  if (input.save && entity === undefined) {
    throw new UsageError('--save needs a stored pc; the character is a file', {
      hint: 'dma entity create pc <name> --data @sheet.yaml, then --character <name>',
    });
  }
  const combat = await findCombat(input, ctx, loaded);
  // in a fight, round n of the encounter rolls from the encounter's seed and n: replayable
  const round = combat === undefined ? 0 : combat.encounter.round + 1;
  const seed =
    input.seed ??
    (combat === undefined ? randomSeed() : normaliseSeed(`${combat.encounter.seed}:${round}`));
  const rng = createRng(seed);
  const diceRng = rng.fork();
  const narrationRng = rng.fork();
  const used = [...(combat?.member.spells_used ?? [])];
  const sheet: CharacterSheet =
    combat === undefined
      ? loaded
      : {
          ...loaded,
          hp: combat.member.hp,
          ...(loaded.spells === undefined ? {} : { spells: removeUsed(loaded.spells, used) }),
        };
  const target =
    combat === undefined
      ? await resolveTarget(input, ctx)
      : { acSource: 'monster' as const, size: 'M' as const };
  const state: EncounterState | undefined =
    combat === undefined ? undefined : structuredClone(combat.encounter.state);

  // initiative and the enemies' answers (only inside a stored fight)
  let initiative: Initiative | undefined;
  const attacks: EnemyAttack[] = [];
  const combatNotes: string[] = [];
  let hp = sheet.hp;
  const enemiesAct = () => {
    for (const enemy of state!.enemies) {
      if (enemy.status !== 'active' || hp <= 0) continue;
      const r = enemyAttacks(enemy, sheet.armor_class, diceRng);
      for (const a of r.attacks) {
        attacks.push(a);
        hp = Math.max(0, hp - a.damage);
      }
      combatNotes.push(...r.notes);
    }
  };
  let rules: RulesOutput;
  let effects: { heal: number; spellUsed?: string; explain: string[] };
  let probe: ReturnType<typeof arbitrateFull> | undefined;
  if (state !== undefined) {
    if (sheet.hp <= 0) {
      rules = refusedRules(`${sheet.name} is down (0 hit points) and cannot act`);
      effects = { heal: 0, explain: [] };
    } else if (
      // a refused action takes no round: checked on a copy before any die is rolled
      (probe = arbitrateFull({
        action: input.text,
        sheet,
        target,
        rng: createRng(0),
        ...(input.range === undefined ? {} : { rangeYards: input.range }),
        enemies: structuredClone(state.enemies),
      })).rules.action_type === 'refused'
    ) {
      rules = probe.rules;
      effects = { heal: 0, explain: [] };
    } else {
      const cast = castingTimeModifier(input.text);
      // round 1 uses the initiative rolled by `combat start`; later rounds roll their own
      initiative =
        round === 1 && state.initiative !== undefined
          ? withPartyModifier(state.initiative, cast.modifier, cast.note)
          : rollInitiative(diceRng, cast.modifier, cast.note);
      if (initiative.first === 'enemies') enemiesAct();
      const hitWhileCasting =
        initiative.first === 'enemies' && cast.note !== undefined && attacks.some((a) => a.hit);
      if (hp <= 0) {
        rules = {
          action_type: 'dm_call',
          mechanics_result: {
            action_type: 'dm_call',
            reason: `${sheet.name} falls before acting: the enemies won the initiative (0 hit points)`,
            notes: [],
          },
          success: false,
          narrative_hints: ['dm_call'],
        };
        effects = { heal: 0, explain: [] };
      } else if (hitWhileCasting) {
        const full = arbitrateFull({
          action: input.text,
          sheet: { ...sheet, hp },
          target,
          rng: createRng(0),
          enemies: structuredClone(state.enemies),
        });
        const spell = full.effects.spellUsed;
        if (full.rules.action_type === 'refused') {
          rules = full.rules;
          effects = { heal: 0, explain: [] };
        } else {
          rules = {
            action_type: 'spell',
            mechanics_result: {
              action_type: 'spell',
              ...(spell === undefined ? {} : { spell }),
              known: true,
              refused: 'struck before the spell went off: it is lost from memory',
              sources: ['PHB Chapter 9 (spellcasting and initiative)'],
              notes: ['a caster hit before the spell is cast loses it (PHB Chapter 9)'],
            },
            success: false,
            narrative_hints: ['spell_unknown'],
          };
          effects = { heal: 0, explain: [], ...(spell === undefined ? {} : { spellUsed: spell }) };
        }
      } else {
        const before = state.enemies.filter((e) => e.status === 'active').map((e) => e.id);
        ({ rules, effects } = arbitrateFull({
          action: input.text,
          sheet: { ...sheet, hp },
          target,
          rng: diceRng,
          critRule: input.critRule ?? 'none',
          ...(input.range === undefined ? {} : { rangeYards: input.range }),
          enemies: state.enemies,
        }));
        if (initiative.first !== 'enemies') {
          // simultaneous: everyone standing at the start of the round strikes
          if (initiative.first === 'simultaneous') {
            for (const e of state.enemies)
              if (before.includes(e.id) && e.status === 'dead') e.status = 'active';
            const fallen = state.enemies.filter((e) => before.includes(e.id) && e.hp === 0);
            enemiesAct();
            for (const e of fallen) e.status = 'dead';
          } else enemiesAct();
        }
      }
    }
  } else {
    ({ rules, effects } = arbitrateFull({
      action: input.text,
      sheet,
      target,
      rng: diceRng,
      critRule: input.critRule ?? 'none',
      ...(input.range === undefined ? {} : { rangeYards: input.range }),
    }));
    if (
      rules.action_type === 'attack' &&
      target.monster !== undefined &&
      rules.mechanics_result.action_type === 'attack'
    ) {
      rules.mechanics_result.notes.push(
        `no fight is stored: the ${target.monster.name}'s answer is not rolled (dma combat start "${target.monster.name}" -c <sheet> to run the fight)`,
      );
    }
  }
  hp = Math.min(sheet.max_hp, hp + effects.heal);
  const hpAfter = hp;
  const request = narrateRequest(input, sheet, rules, lang, attacks);
  const outcome = state === undefined ? undefined : fightOutcomeAfter(state, sheet.name, hpAfter);
  const explain = input.explain
    ? [
        ...effects.explain,
        ...(initiative === undefined
          ? []
          : [
              `initiative: party ${initiative.party.total} vs enemies ${initiative.enemies.total} on d10, lower acts first (PHB Chapter 9, group initiative)${(initiative.notes ?? []).map((n) => `; ${n}`).join('')}`,
            ]),
        ...attacks.map(
          (a) =>
            `${a.attacker}: THAC0 − AC ${sheet.armor_class} = ${a.needed} needed (DMG Table 39, PHB Table 53 arithmetic); rolled ${a.attack_roll.total}${a.hit ? `, ${a.damage} damage (its Monstrous Manual damage)` : ', a miss'}`,
        ),
        ...combatNotes,
      ]
    : undefined;
  const base = {
    action: input.text,
    character: sheet.name,
    seed,
    adapter: adapterName,
    lang,
    rules_output: rules,
  };

  if (input.showPrompt) {
    const llm = await lazy(ctx, '_llm-index');
    const prompt = llm.buildPrompt(await llm.loadCompiledRegistries(), {
      workflow: 'narrate-action',
      input: request,
    });
    return { ...base, prompt: { system: prompt.system, user: prompt.user } };
  }

  // 2. Narrative Director
  const combatView =
    state === undefined
      ? undefined
      : {
          enemies: state.enemies.filter((e) => e.status === 'active').map((e) => e.name),
          ended: outcome !== undefined,
        };
  let narrated: Narrated;
  if (adapterName === 'mock') {
    const output = mockNarration({
      rules,
      lang,
      rng: narrationRng,
      counterattacks: attacks,
      combat: combatView,
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
    narrated = { output, model: 'mock-templates', warnings: violations.map((v) => v.message) };
  } else {
    narrated = await narrateWithModel(input, ctx, request);
  }
  // The rules decide what the enemies did and where the fight stands; the narrator only words it.
  if (narrated.output !== undefined) {
    const rolled = gameStateFor(attacks, combatView);
    if (
      adapterName !== 'mock' &&
      JSON.stringify(narrated.output.game_state_updates) !== JSON.stringify(rolled)
    ) {
      narrated.warnings.push('game_state_updates replaced by the rolled state');
    }
    narrated.output.game_state_updates = rolled;
  }

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
    ...(state === undefined
      ? {}
      : {
          combat: {
            round,
            ...(initiative === undefined ? {} : { initiative }),
            attacks,
            enemies: state.enemies,
            ...(outcome === undefined ? {} : { outcome }),
          },
        }),
    ...(explain === undefined ? {} : { explain: localiseExplain(explain, lang) }),
  });

  // the fight's round is stored (refusals take no round); --save writes a stored pc
  let combatOut: Result['combat'];
  if (
    state !== undefined &&
    combat !== undefined &&
    (rules.action_type !== 'refused' || attacks.length > 0)
  ) {
    const member = state.party.find((p) => p.name === sheet.name)!;
    member.hp = hpAfter;
    if (effects.spellUsed !== undefined) member.spells_used.push(effects.spellUsed);
    state.initiative = initiative!;
    const summary = summarise(rules, attacks, hpAfter);
    state.log.push({ round, character: sheet.name, action: input.text, summary });
    const { withCampaign } = await lazy(ctx, '_store');
    await withCampaign(input, ctx, 'write', (store) =>
      store.encounters.saveRound(combat.encounter.id, combat.encounter.version, round, state, {
        character: sheet.name,
        action: input.text,
        result: { seed, rules_output: rules, enemy_attacks: attacks, hp_after: hpAfter },
      }),
    );
    combatOut = {
      encounter_id: combat.encounter.id,
      round,
      initiative: initiative!,
      enemies: state.enemies.map(enemyView),
      enemy_attacks: attacks,
      ended: outcome !== undefined,
      ...(outcome === undefined ? {} : { outcome }),
    };
  } else if (state !== undefined && combat !== undefined) {
    combatOut = {
      encounter_id: combat.encounter.id,
      round: combat.encounter.round,
      initiative: combat.encounter.state.initiative ?? initiative!,
      enemies: combat.encounter.state.enemies.map(enemyView),
      enemy_attacks: [],
      ended: false,
    };
  }

  let saved = false;
  let entityVersion: number | undefined;
  const spellsAfter =
    effects.spellUsed === undefined || sheet.spells === undefined
      ? undefined
      : removeUsed(sheet.spells, [effects.spellUsed]);
  if (
    input.save &&
    entity !== undefined &&
    combat === undefined &&
    (hpAfter !== sheet.hp || spellsAfter !== undefined)
  ) {
    const { withCampaign } = await lazy(ctx, '_store');
    const updated = await withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', (store) =>
      store.update(
        entity.id,
        {
          data: {
            ...sheet,
            hp: hpAfter,
            ...(spellsAfter === undefined ? {} : { spells: spellsAfter }),
          },
        },
        { expectVersion: entity.version, dryRun: input.dryRun === true },
      ),
    );
    saved = input.dryRun !== true;
    entityVersion = updated.version;
  }
  if (combat !== undefined && input.save) {
    ctx.info(
      'in a fight the round is stored; stored pcs are written when it ends (dma combat end)',
    );
  }

  if (narrated.error !== undefined && !machineFormat(input)) {
    ctx.warn(
      `${narrated.error.message}${narrated.error.hint === undefined ? '' : ` (${narrated.error.hint})`}`,
    );
  }
  if (rules.mechanics_result.action_type === 'refused' && !machineFormat(input)) {
    ctx.warn(`refused: ${rules.mechanics_result.reason}`);
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
    ...(explain === undefined ? {} : { explain: localiseExplain(explain, lang) }),
    ...(combatOut === undefined ? {} : { combat: combatOut }),
    ...(narrated.error === undefined ? {} : { error: error as { code: string; message: string } }),
  } satisfies Result;
};

function refusedRules(reason: string): RulesOutput {
  return {
    action_type: 'refused',
    mechanics_result: { action_type: 'refused', reason, notes: [] },
    success: false,
    narrative_hints: ['refused'],
  };
}

/** The memorised list with one copy of each used spell taken out. */
function removeUsed(spells: readonly string[], used: readonly string[]): string[] {
  const out = [...spells];
  for (const u of used) {
    const i = out.findIndex((s) => s.toLowerCase() === u.toLowerCase());
    if (i >= 0) out.splice(i, 1);
  }
  return out;
}

function fightOutcomeAfter(
  state: EncounterState,
  name: string,
  hp: number,
): 'victory' | 'defeat' | undefined {
  const party = state.party.map((p) => (p.name === name ? { ...p, hp } : p));
  if (party.every((p) => p.hp <= 0)) return 'defeat';
  if (state.enemies.every((e) => e.status !== 'active')) return 'victory';
  return undefined;
}

function summarise(rules: RulesOutput, attacks: readonly EnemyAttack[], hp: number): string {
  const m = rules.mechanics_result;
  let what: string;
  switch (m.action_type) {
    case 'attack':
      what =
        `${m.weapon} ${m.hit ? `hits ${m.target ?? ''} for ${m.total_damage}` : `misses ${m.target ?? ''}`}`.replace(
          /\s+/g,
          ' ',
        );
      break;
    case 'spell':
      what = `casts ${m.spell ?? 'a spell'}${m.total_damage === undefined ? '' : ` (${m.total_damage} damage)`}${m.total_healing === undefined ? '' : ` (heals ${m.total_healing})`}`;
      break;
    case 'refused':
    case 'dm_call':
      what = m.reason;
      break;
    default:
      what = `${m.action_type} ${rules.success ? 'succeeds' : 'fails'}`;
  }
  const hits = attacks.filter((a) => a.hit);
  return `${what}; enemies: ${attacks.length} attacks, ${hits.length} hit for ${hits.reduce((s, a) => s + a.damage, 0)}; hp ${hp}`;
}

function localiseExplain(lines: readonly string[], lang: Lang): string[] {
  return lines.map((l) => localise(l, lang));
}

export const text: CommandModule<'action'>['text'] = (r) =>
  r.prompt !== undefined
    ? `=== system ===\n${r.prompt.system}\n\n=== user ===\n${r.prompt.user}\n`
    : (r.final_message ?? '');

export const exitCode: CommandModule<'action'>['exitCode'] = (r) =>
  r.error !== undefined ? 12 : r.rules_output.action_type === 'refused' ? 3 : 0;
