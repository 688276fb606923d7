/**
 * `dma action`: Rules Arbiter → Narrative Director → Response Synthesizer.
 *
 * Start-up matters (a DM waits at the table): this runs in the fast lane, and everything
 * heavy is imported only when needed — Zod for the sheet check, yaml for a YAML sheet, the
 * store for a stored pc or target, the LLM layer for a real adapter or --show-prompt. The
 * mock narration needs only its templates and the compiled guardrails.
 *
 * `run` reads as the steps: `startTurn` (the character, the fight, the seed, the target),
 * the Rules Arbiter's `actAlone` / `actInFight` (_action-rules.ts), `narrate`
 * (_action-narration.ts), `synthesize`, then `storeRound` or `saveCharacter`.
 */
import { existsSync } from 'node:fs';
import { monsterByName, monsterInText, type ActionTarget } from '../agents/action/arbiter.ts';
import type { EncounterState } from '../agents/action/combat.ts';
import type { EnemyAttack } from '../agents/action/enemies.ts';
import { localise } from '../agents/action/ru.ts';
import { FALLBACK_MESSAGES, synthesize } from '../agents/action/synthesizer.ts';
import type { CharacterSheet, Lang, RulesOutput } from '../contracts/action.ts';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { createRng, normaliseSeed, randomSeed } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import { narrate, narrateRequest } from './_action-narration.ts';
import { type Turn, type TurnInput, actAlone, actInFight } from './_action-rules.ts';
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

export const run: CommandModule<'action'>['run'] = async (input, ctx) => {
  const lang: Lang = input.lang ?? 'en';
  // an alias (claude) is reported by the adapter's name (anthropic)
  const adapterName =
    input.adapter === undefined || input.adapter === 'mock'
      ? 'mock'
      : (await lazy(ctx, '_llm-index')).findAdapter(input.adapter).name;
  if (input.dryRun && !input.save) throw new UsageError('--dry-run goes with --save');

  const { entity, combat, round, seed, diceRng, narrationRng, sheet, target, state } =
    await startTurn(input, ctx);

  // 1. Rules Arbiter (inside a stored fight: the initiative and the enemies' answers too)
  const act: TurnInput = {
    text: input.text,
    sheet,
    target,
    rng: diceRng,
    critRule: input.critRule ?? 'none',
    ...(input.range === undefined ? {} : { rangeYards: input.range }),
  };
  const turn = state === undefined ? actAlone(act) : await actInFight(act, state, round);
  const { rules, effects, initiative, attacks } = turn;
  const hpAfter = Math.min(sheet.max_hp, turn.hp + effects.heal);
  const request = narrateRequest(input, sheet, rules, lang, attacks);
  const outcome = state === undefined ? undefined : fightOutcomeAfter(state, sheet.name, hpAfter);
  const explain = input.explain ? explainLines(sheet, turn) : undefined;
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
  const narrated = await narrate(input, ctx, adapterName, request, {
    rules,
    lang,
    rng: narrationRng,
    attacks,
    combat: combatView,
  });

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

  // the fight's round is stored; out of a fight, --save writes a stored pc
  const combatOut =
    state === undefined || combat === undefined
      ? undefined
      : await storeRound(input, ctx, { combat, state, round, seed, sheet, turn, hpAfter, outcome });
  const { saved, entityVersion } =
    combat === undefined
      ? await saveCharacter(input, ctx, entity, sheet, hpAfter, effects.spellUsed)
      : { saved: false, entityVersion: undefined };
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

/**
 * Who acts, against what, with which dice: the character (in a stored fight, with the
 * fight's hit points and spells left), the fight, the round and its seed, the target.
 */
async function startTurn(input: Input, ctx: CommandContext) {
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
  return { entity, combat, round, seed, diceRng, narrationRng, sheet, target, state };
}

/** The --explain lines: the action's derivation, the initiative, each enemy attack. */
function explainLines(sheet: CharacterSheet, turn: Turn): string[] {
  const { initiative, attacks } = turn;
  return [
    ...turn.effects.explain,
    ...(initiative === undefined
      ? []
      : [
          `initiative: party ${initiative.party.total} vs enemies ${initiative.enemies.total} on d10, lower acts first (PHB Chapter 9, group initiative)${(initiative.notes ?? []).map((n) => `; ${n}`).join('')}`,
        ]),
    ...attacks.map(
      (a) =>
        `${a.attacker}: THAC0 − AC ${sheet.armor_class} = ${a.needed} needed (DMG Table 39, PHB Table 53 arithmetic); rolled ${a.attack_roll.total}${a.hit ? `, ${a.damage} damage (its Monstrous Manual damage)` : ', a miss'}`,
    ),
    ...turn.combatNotes,
  ];
}

/**
 * The fight as it stands after the action. A round was fought (anything but a refusal
 * the enemies did not answer): it is logged and stored. Otherwise the stored fight is
 * shown unchanged.
 */
async function storeRound(
  input: Input,
  ctx: CommandContext,
  r: {
    combat: CombatContext;
    state: EncounterState;
    round: number;
    seed: number;
    sheet: CharacterSheet;
    turn: Turn;
    hpAfter: number;
    outcome: 'victory' | 'defeat' | undefined;
  },
): Promise<Result['combat']> {
  const { combat, state, round, sheet, hpAfter, outcome } = r;
  const { rules, effects, initiative, attacks } = r.turn;
  if (rules.action_type === 'refused' && attacks.length === 0) {
    return {
      encounter_id: combat.encounter.id,
      round: combat.encounter.round,
      initiative: combat.encounter.state.initiative ?? initiative!,
      enemies: combat.encounter.state.enemies.map(enemyView),
      enemy_attacks: [],
      ended: false,
    };
  }
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
      result: { seed: r.seed, rules_output: rules, enemy_attacks: attacks, hp_after: hpAfter },
    }),
  );
  return {
    encounter_id: combat.encounter.id,
    round,
    initiative: initiative!,
    enemies: state.enemies.map(enemyView),
    enemy_attacks: attacks,
    ended: outcome !== undefined,
    ...(outcome === undefined ? {} : { outcome }),
  };
}

/** --save out of a fight: the stored pc's hit points and memorised spells, when they changed. */
async function saveCharacter(
  input: Input,
  ctx: CommandContext,
  entity: Awaited<ReturnType<typeof loadCharacter>>['entity'],
  sheet: CharacterSheet,
  hpAfter: number,
  spellUsed: string | undefined,
): Promise<{ saved: boolean; entityVersion?: number }> {
  const spellsAfter =
    spellUsed === undefined || sheet.spells === undefined
      ? undefined
      : removeUsed(sheet.spells, [spellUsed]);
  if (!input.save || entity === undefined || (hpAfter === sheet.hp && spellsAfter === undefined)) {
    return { saved: false };
  }
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
  return { saved: input.dryRun !== true, entityVersion: updated.version };
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
