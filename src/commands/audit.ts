import { lazy } from './_lazy.ts';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import type { CommandInputs, CommandModule, CommandOutputs } from '../generated/types.ts';
import { checkDungeon } from '../generators/dungeon/audit.ts';
import { checkNpcLegality, type CharacterSheet } from '../rules/legality.ts';
import { promptRaw, runLlmWorkflow, showPrompt } from './_llm.ts';

type Input = CommandInputs['audit'];
type EntityType = 'npc' | 'pc' | 'dungeon';
type Severity = 'info' | 'warning' | 'error' | 'critical';
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };
const RISK = ['low', 'medium', 'high', 'critical'] as const;

/** An AgentFinding (dsl/handoff-types.yaml) as the model sees it. */
interface Finding {
  id: string;
  severity: Severity;
  category: string;
  target?: string;
  message: string;
  recommendation?: string;
  evidence?: { type: 'field' | 'rule' | 'derivation' | 'text'; content: string; source?: string }[];
}

interface ModelAudit {
  summary: string;
  riskLevel: (typeof RISK)[number];
  findings: Finding[];
  recommendedActions?: { kind: string; title: string; target?: string; rationale?: string }[];
}

interface Target {
  entityType: EntityType;
  data: Record<string, unknown>;
  target: { source: 'file' | 'database'; name: string; id?: string; file?: string };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function typeOf(doc: Record<string, unknown>, given: EntityType | undefined): EntityType {
  if (given !== undefined) return given;
  if (Array.isArray(doc.rooms)) return 'dungeon';
  if ('max_hp' in doc || 'player' in doc) return 'pc';
  if (typeof doc.class === 'string') return 'npc';
  throw new UsageError('cannot tell whether the file holds an npc, a pc or a dungeon', {
    hint: 'pass --type npc|pc|dungeon',
  });
}

async function loadTarget(input: Input, ctx: CommandContext): Promise<Target> {
  const ref = input.target;
  const file = ref === '-' ? '-' : resolve(ctx.cwd, ref);
  if (ref === '-' || existsSync(file) || /\.(json|ya?ml)$/i.test(ref)) {
    const { readDocument } = await lazy(ctx, '_store');
    let doc = await readDocument(ref, ctx, { inline: false });
    if (isObj(doc) && Array.isArray(doc.entities))
      throw new UsageError(`${ref} is an export of many entities; audit one at a time`);
    // An entity as `dma entity show --json` or export prints it: {type, name, data}.
    let given = input.type as EntityType | undefined;
    if (isObj(doc) && isObj(doc.data) && typeof doc.type === 'string') {
      given ??= doc.type as EntityType;
      doc = { name: doc.name, ...doc.data };
    }
    if (!isObj(doc)) throw new UsageError(`${ref} does not hold a JSON/YAML object`);
    const { schema_version: _v, entity_id: _id, ...data } = doc;
    const entityType = typeOf(data, given);
    if (!['npc', 'pc', 'dungeon'].includes(entityType))
      throw new UsageError(`cannot audit a ${entityType}: dma audits npcs, pcs and dungeons`);
    const name =
      typeof data.name === 'string'
        ? data.name
        : ref === '-'
          ? 'stdin'
          : basename(ref).replace(/\.[^.]+$/, '');
    return {
      entityType,
      data,
      target: { source: 'file', name, ...(ref === '-' ? {} : { file }) },
    };
  }
  const { withCampaign } = await lazy(ctx, '_store');
  const entity = await withCampaign(input, ctx, 'read', (store) => store.resolve(ref));
  if (entity.type !== 'npc' && entity.type !== 'pc' && entity.type !== 'dungeon') {
    throw new UsageError(`${entity.name} is a ${entity.type}; dma audits npcs, pcs and dungeons`);
  }
  return {
    entityType: entity.type,
    data: entity.data,
    target: { source: 'database', name: entity.name, id: entity.id },
  };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const ABILITY_KEYS = ['str', 'dex', 'con', 'int', 'wis', 'cha'] as const;
/** Save keys of older records and hand-written sheets, to the engine's (paralyzation, …). */
const SAVE_ALIASES: Record<string, string> = {
  paralyzation_poison_death: 'paralyzation',
  rod_staff_wand: 'rod',
  petrification_polymorph: 'petrification',
  breath_weapon: 'breath',
};

/**
 * An untrusted NPC or PC record as the CharacterSheet checkNpcLegality reads: fields of the
 * wrong type become findings here instead of surprises there. A PC's max_hp is its hit points.
 */
function toSheet(d: Record<string, unknown>): { sheet?: CharacterSheet; problems: LegalityLike[] } {
  const problems: LegalityLike[] = [];
  const bad = (field: string, what: string) =>
    problems.push({
      severity: 'error',
      field,
      message: `${field} ${what}`,
      source: 'dma entity schema',
    });
  if (typeof d.class !== 'string') bad('class', 'is missing or not a string');
  if (!isInt(d.level)) bad('level', 'is missing or not an integer');
  if (problems.length > 0) return { problems };
  const sheet: CharacterSheet = { class: d.class as string, level: d.level as number };
  if (typeof d.race === 'string') sheet.race = d.race;
  if (typeof d.alignment === 'string') sheet.alignment = d.alignment;
  if (Array.isArray(d.classes)) {
    const list = d.classes.filter(
      (c): c is { class: string; level: number } =>
        isObj(c) && typeof c.class === 'string' && isInt(c.level),
    );
    if (list.length !== d.classes.length)
      bad('classes', 'must list each class with an integer level');
    else
      sheet.classes = list.map((c) => {
        const x = c as Record<string, unknown>;
        return {
          class: c.class as never,
          level: c.level,
          ...(isInt(x.xp) ? { xp: x.xp } : {}),
          ...(x.dual === 'old' || x.dual === 'new' ? { dual: x.dual } : {}),
        };
      });
  }
  if (isObj(d.abilities)) {
    const ab = d.abilities;
    if (
      ABILITY_KEYS.every((k) => isInt(ab[k]) && (ab[k] as number) >= 1 && (ab[k] as number) <= 25)
    ) {
      sheet.abilities = Object.fromEntries(
        ABILITY_KEYS.map((k) => [k, ab[k]]),
      ) as CharacterSheet['abilities'] & object;
      if (isInt(ab.str_exceptional)) sheet.abilities.str_exceptional = ab.str_exceptional;
    } else bad('abilities', 'must hold six integer scores 1-25 (str, dex, con, int, wis, cha)');
  }
  const hp = isInt(d.hit_points) ? d.hit_points : isInt(d.max_hp) ? d.max_hp : undefined;
  if (hp !== undefined) sheet.hit_points = hp;
  if (isInt(d.hp) && isInt(d.max_hp) && d.hp > d.max_hp)
    problems.push({
      severity: 'error',
      field: 'hp',
      message: `hp ${d.hp} exceeds max_hp ${d.max_hp}`,
      source: 'PHB Chapter 9',
    });
  if (isInt(d.armor_class)) sheet.armor_class = d.armor_class;
  if (isInt(d.thac0)) sheet.thac0 = d.thac0;
  if (isObj(d.saves)) {
    const saves: Record<string, number> = {};
    for (const [k, v] of Object.entries(d.saves)) if (isInt(v)) saves[SAVE_ALIASES[k] ?? k] = v;
    sheet.saves = saves;
  }
  if (typeof d.armour === 'string') sheet.armour = d.armour;
  if (typeof d.shield === 'string') sheet.shield = d.shield;
  if (Array.isArray(d.spells))
    sheet.spells = d.spells
      .filter(
        (x): x is { name: string; level: number; class?: string } =>
          isObj(x) && typeof x.name === 'string' && isInt(x.level),
      )
      .map((x) => ({
        name: x.name,
        level: x.level,
        ...(typeof x.class === 'string' ? { class: x.class } : {}),
      }));
  if (isObj(d.thief_skills))
    sheet.thief_skills = d.thief_skills as CharacterSheet['thief_skills'] & object;
  return { sheet, problems };
}

interface LegalityLike {
  severity: 'error' | 'warning';
  field: string;
  message: string;
  source: string;
}

/** dma's deterministic findings, numbered R-001… in the order the checks report them. */
function rulesFindings(t: Target): Finding[] {
  const id = (i: number) => `R-${String(i + 1).padStart(3, '0')}`;
  if (t.entityType === 'dungeon') {
    return checkDungeon(t.data).map((f, i) => ({
      id: id(i),
      severity: f.severity,
      category: f.category,
      target: f.target,
      message: f.message,
      recommendation: f.recommendation,
      evidence: [{ type: 'rule', content: f.message, source: f.source }],
    }));
  }
  const { sheet, problems } = toSheet(t.data);
  const legality: LegalityLike[] = [
    ...problems,
    ...(sheet === undefined ? [] : checkNpcLegality(sheet)),
  ];
  return legality.map((f, i) => ({
    id: id(i),
    severity: f.severity,
    category: 'rules-legality',
    target: f.field,
    message: f.message,
    recommendation: `correct ${f.field} (${f.source})`,
    evidence: [{ type: 'rule', content: f.message, source: f.source }],
  }));
}

/** The entity as the model sees it: without the roll log and generator bookkeeping. */
function promptEntity(data: Record<string, unknown>): Record<string, unknown> {
  const { roll_log: _log, ...rest } = data;
  return rest;
}

export const run: CommandModule<'audit'>['run'] = async (input, ctx) => {
  const t = await loadTarget(input, ctx);
  const rules = rulesFindings(t);
  const request = {
    entityType: t.entityType,
    entity: promptEntity(t.data),
    rulesFindings: rules,
    ...(input.focus === undefined ? {} : { focus: input.focus }),
  };
  if (input.showPrompt) {
    return (await showPrompt('audit-entity', request, ctx)) as CommandOutputs['audit'];
  }
  const { output, metadata, llm } = await runLlmWorkflow<ModelAudit>(
    'audit',
    'audit-entity',
    request,
    input,
    ctx,
  );
  // Deterministic first: every rules finding as dma reported it, then the model's own.
  const ruleIds = new Set(rules.map((f) => f.id));
  const findings = [
    ...rules.map((f) => ({ ...f, origin: 'rules' as const })),
    ...output.findings
      .filter((f) => !ruleIds.has(f.id))
      .map((f) => ({ ...f, origin: 'model' as const })),
  ];
  const worst = findings.reduce((m, f) => Math.max(m, RANK[f.severity]), 0);
  const riskLevel = RISK[Math.max(worst, RISK.indexOf(output.riskLevel))] ?? 'low';
  const failOn = (input.failOn ?? 'error') as Exclude<Severity, 'info'>;
  return {
    summary: output.summary,
    riskLevel,
    findings,
    recommendedActions: output.recommendedActions ?? [],
    entityType: t.entityType,
    target: t.target,
    metadata,
    fail_on: failOn,
    passed: !findings.some((f) => RANK[f.severity] >= RANK[failOn]),
    llm,
  };
};

export const raw: CommandModule<'audit'>['raw'] = (r, input) => promptRaw(r, input);

export const exitCode: CommandModule<'audit'>['exitCode'] = (r) =>
  'passed' in r && r.passed === false ? 10 : 0;

export const text: CommandModule<'audit'>['text'] = (r) => {
  if (!('findings' in r)) return '';
  const counts = (['critical', 'error', 'warning', 'info'] as const)
    .map((s) => [s, r.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  const where = r.target.source === 'file' ? `file ${r.target.file ?? 'stdin'}` : r.target.id;
  const lines = [
    `Audit of ${r.entityType} "${r.target.name}" (${where}) — risk ${r.riskLevel}; ${counts.length === 0 ? 'no findings' : counts.join(', ')}${r.passed ? '' : `; fails --fail-on ${r.fail_on}`}`,
    '',
    r.summary,
  ];
  for (const severity of ['critical', 'error', 'warning', 'info'] as const) {
    const group = r.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `${severity.toUpperCase()} (${group.length})`);
    for (const f of group) {
      const at = f.target === undefined ? '' : ` ${f.target}`;
      lines.push(
        `  ${f.id}${at} [${f.category}${f.origin === 'model' ? ', model' : ''}] ${f.message}`,
      );
      if (f.recommendation !== undefined) lines.push(`      → ${f.recommendation}`);
      const sources = (f.evidence ?? []).map((e) => e.source).filter((s) => s !== undefined);
      if (sources.length > 0) lines.push(`      source: ${sources.join('; ')}`);
    }
  }
  if (r.recommendedActions.length > 0) {
    lines.push('', 'Recommended actions:');
    for (const a of r.recommendedActions) lines.push(`  - ${a.title}`);
  }
  lines.push(
    '',
    `(${r.metadata.adapter}/${r.metadata.model}${r.llm.cached ? ', cached' : ''}${r.llm.status === 'escalated' ? `, escalated: ${r.llm.escalation_reason ?? ''}` : ''})`,
  );
  return lines.join('\n');
};
