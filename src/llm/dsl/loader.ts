/**
 * Loads the agent DSL: reads dsl/dma-dsl.yaml, resolves `$ref`s, validates strictly with Zod,
 * cross-checks every reference, compiles handoff schemas with ajv, and returns registries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import { DslDocumentSchema, type DslDocument } from './schema.ts';
import type { DslRegistries, HandoffTypeDef, JsonSchema } from './types.ts';
import { compileSchema, standaloneValidators } from './ajv.ts';
import { ESCALATION_PROPERTY, canonicalJson, sha256 } from './common.ts';

export { ESCALATION_PROPERTY, canonicalJson, sha256 };

export const DSL_ENTRY_FILE = 'dma-dsl.yaml';
/** Where `npm run generate` writes the output of compileDsl(), relative to the repository root. */
export const DSL_REGISTRY_PATH = 'src/generated/dsl/registry.ts';
/** Caller pseudo-agent allowed in `from_agent` / `allowed_from_agents`: the CLI itself. */
export const CALLER_AGENT = 'cli';

/** Property the runtime adds to every result schema so an agent can escalate. */
const ESCALATION_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', description: 'Why this needs a human (an escalation criterion).' } },
};

/** The DSL entry file under `rootDir`: `<rootDir>/dsl/dma-dsl.yaml`, else `<rootDir>/dma-dsl.yaml`. */
export function dslEntryPath(rootDir: string): string {
  const nested = join(rootDir, 'dsl', DSL_ENTRY_FILE);
  return existsSync(nested) ? nested : join(rootDir, DSL_ENTRY_FILE);
}

function dslError(errors: string[]): UsageError {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new UsageError(`dsl is invalid: ${errors[0]}${more}`, {
    hint: 'fix the files under dsl/ and run npm run generate',
    details: { errors },
  });
}

// ---------------------------------------------------------------------------------------------
// $ref resolution

interface RefContext {
  baseDir: string;
  docs: Map<string, unknown>;
  /** Resolved object → the file it came from, for error messages. */
  origin: WeakMap<object, string>;
  displayRoot: string;
}

function readDoc(file: string, ctx: RefContext, from: string): unknown {
  const cached = ctx.docs.get(file);
  if (cached !== undefined) return cached;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw dslError([`cannot read ${relative(ctx.displayRoot, file)} (referenced from ${from})`]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw dslError([`${relative(ctx.displayRoot, file)}: invalid YAML: ${msg}`]);
  }
  ctx.docs.set(file, doc);
  return doc;
}

function pointerGet(doc: unknown, pointer: string, where: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let node = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) {
      const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
      throw dslError([`${where}: $ref pointer "#${pointer}" has no "${key}"${didYouMean(key, keys)}`]);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function resolveRefs(node: unknown, file: string, ctx: RefContext, stack: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, file, ctx, stack));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  const where = relative(ctx.displayRoot, file);
  if ('$ref' in obj) {
    const ref = obj.$ref;
    if (typeof ref !== 'string' || Object.keys(obj).length !== 1) {
      throw dslError([`${where}: a $ref must be a string and the only key of its object`]);
    }
    const [filePart = '', pointer = ''] = ref.split('#', 2);
    const target = filePart === '' ? file : resolvePath(dirname(file), filePart);
    const key = `${target}#${pointer}`;
    if (stack.includes(key)) throw dslError([`${where}: circular $ref "${ref}"`]);
    const doc = readDoc(target, ctx, where);
    const value = pointerGet(doc, pointer, `${where} ($ref "${ref}")`);
    return resolveRefs(value, target, ctx, [...stack, key]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = resolveRefs(v, file, ctx, stack);
  ctx.origin.set(out, where);
  return out;
}

// ---------------------------------------------------------------------------------------------
// validation

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function originOf(doc: unknown, path: readonly PropertyKey[], origin: WeakMap<object, string>): string {
  let node = doc;
  let file = node !== null && typeof node === 'object' ? origin.get(node) : undefined;
  for (const p of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[p];
    if (node !== null && typeof node === 'object') file = origin.get(node) ?? file;
  }
  return file ?? DSL_ENTRY_FILE;
}

function zodErrors(error: z.ZodError, doc: unknown, origin: WeakMap<object, string>): string[] {
  // Unknown keys first: a misspelt key also produces a "required" issue for the real one.
  const issues = [...error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  return issues.map((i) => {
    const at = formatPath(i.path);
    return `${originOf(doc, i.path, origin)}: ${at === '' ? '' : `${at}: `}${i.message}`;
  });
}

function unknownRef(kind: string, name: string, known: string[], where: string): string {
  return `${where}: unknown ${kind} "${name}"${didYouMean(name, known)}`;
}

function crossCheck(doc: DslDocument): string[] {
  const errors: string[] = [];
  const agents = Object.keys(doc.agents);
  const tasks = Object.keys(doc.tasks);
  const handoffs = Object.keys(doc.handoff_types);
  const workflows = Object.keys(doc.workflows);
  const guardrails = Object.keys(doc.guardrails);
  const policies = Object.keys(doc.guardrail_policies);
  const callers = [...agents, CALLER_AGENT];

  for (const [id, agent] of Object.entries(doc.agents)) {
    for (const h of agent.can_return_handoffs) {
      if (!handoffs.includes(h)) errors.push(unknownRef('handoff type', h, handoffs, `agents.${id}.can_return_handoffs`));
    }
    for (const a of agent.can_invoke_agents ?? []) {
      if (!agents.includes(a)) errors.push(unknownRef('agent', a, agents, `agents.${id}.can_invoke_agents`));
    }
    const ruleIds = agent.rules.map((r) => r.id);
    const dup = ruleIds.find((r, i) => ruleIds.indexOf(r) !== i);
    if (dup !== undefined) errors.push(`agents.${id}.rules: duplicate rule id "${dup}"`);
  }
  for (const [id, task] of Object.entries(doc.tasks)) {
    const at = `tasks.${id}`;
    if (!agents.includes(task.target_agent)) errors.push(unknownRef('agent', task.target_agent, agents, `${at}.target_agent`));
    for (const a of task.allowed_from_agents) {
      if (!callers.includes(a)) errors.push(unknownRef('agent', a, callers, `${at}.allowed_from_agents`));
    }
    if (!workflows.includes(task.workflow)) errors.push(unknownRef('workflow', task.workflow, workflows, `${at}.workflow`));
    for (const key of ['invocation_handoff', 'result_handoff'] as const) {
      if (!handoffs.includes(task[key])) errors.push(unknownRef('handoff type', task[key], handoffs, `${at}.${key}`));
    }
    const agent = doc.agents[task.target_agent];
    if (agent !== undefined && handoffs.includes(task.result_handoff) && !agent.can_return_handoffs.includes(task.result_handoff)) {
      errors.push(`${at}.result_handoff: agent "${task.target_agent}" cannot return "${task.result_handoff}" (can_return_handoffs)`);
    }
    if (task.guardrail_policy !== undefined && !policies.includes(task.guardrail_policy)) {
      errors.push(unknownRef('guardrail policy', task.guardrail_policy, policies, `${at}.guardrail_policy`));
    }
  }
  for (const [id, wf] of Object.entries(doc.workflows)) {
    const seen = new Set<string>();
    wf.steps.forEach((step, i) => {
      const at = `workflows.${id}.steps[${i}]`;
      if (seen.has(step.id)) errors.push(`${at}: duplicate step id "${step.id}"`);
      seen.add(step.id);
      if (step.type === 'delegate') {
        if (!tasks.includes(step.task)) errors.push(unknownRef('task', step.task, tasks, `${at}.task`));
        if (!callers.includes(step.from_agent)) errors.push(unknownRef('agent', step.from_agent, callers, `${at}.from_agent`));
        const task = doc.tasks[step.task];
        if (task !== undefined && !task.allowed_from_agents.includes(step.from_agent)) {
          errors.push(`${at}.from_agent: task "${step.task}" does not allow calls from "${step.from_agent}"`);
        }
      } else if ((step.when ?? []).length === 0 && step.predicate === undefined) {
        errors.push(`${at}: a gate needs "when" conditions or a "predicate"`);
      }
    });
    if (!wf.steps.some((s) => s.type === 'delegate')) errors.push(`workflows.${id}: no delegate step`);
  }
  for (const [id, g] of Object.entries(doc.guardrails)) {
    if (g.kind === 'forbid_pattern' || g.kind === 'require_pattern') {
      try {
        new RegExp(g.pattern, g.flags);
      } catch {
        errors.push(`guardrails.${id}.pattern: not a valid regular expression`);
      }
    }
  }
  for (const [id, policy] of Object.entries(doc.guardrail_policies)) {
    policy.rules.forEach((r, i) => {
      if (!guardrails.includes(r.guardrail)) {
        errors.push(unknownRef('guardrail', r.guardrail, guardrails, `guardrail_policies.${id}.rules[${i}].guardrail`));
      }
    });
  }
  for (const [id, h] of Object.entries(doc.handoff_types)) {
    if (h.extends !== undefined && !handoffs.includes(h.extends)) {
      errors.push(unknownRef('handoff type', h.extends, handoffs, `handoff_types.${id}.extends`));
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// handoff compilation

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function mergeSchemas(base: JsonSchema, own: JsonSchema): JsonSchema {
  const required = [
    ...new Set([...((base.required as string[] | undefined) ?? []), ...((own.required as string[] | undefined) ?? [])]),
  ];
  return {
    ...base,
    ...own,
    properties: { ...asRecord(base.properties), ...asRecord(own.properties) },
    ...(required.length > 0 ? { required } : {}),
  };
}

function withoutProperties(schema: JsonSchema, drop: string[]): JsonSchema {
  if (drop.length === 0) return schema;
  const properties = Object.fromEntries(Object.entries(asRecord(schema.properties)).filter(([k]) => !drop.includes(k)));
  const required = ((schema.required as string[] | undefined) ?? []).filter((k) => !drop.includes(k));
  return { ...schema, properties, required };
}

function compileHandoffs(doc: DslDocument, errors: string[]): Record<string, HandoffTypeDef> {
  const resultTypes = new Set(Object.values(doc.tasks).map((t) => t.result_handoff));
  const out: Record<string, HandoffTypeDef> = {};
  const build = (id: string, chain: string[]): HandoffTypeDef | undefined => {
    const done = out[id];
    if (done !== undefined) return done;
    const def = doc.handoff_types[id];
    if (def === undefined) return undefined;
    if (chain.includes(id)) {
      errors.push(`handoff_types.${id}.extends: circular extends (${[...chain, id].join(' → ')})`);
      return undefined;
    }
    let schema = def.schema;
    let ext: string[] = [];
    let callerFills = def.caller_fills ?? [];
    if (def.extends !== undefined) {
      const base = build(def.extends, [...chain, id]);
      if (base === undefined) return undefined;
      schema = mergeSchemas(base.schema, def.schema);
      ext = [def.extends, ...base.extends];
      callerFills = [...new Set([...base.caller_fills, ...callerFills])];
    }
    for (const f of callerFills) {
      if (!(f in asRecord(schema.properties))) errors.push(`handoff_types.${id}.caller_fills: "${f}" is not a property of the schema`);
    }
    let modelSchema = withoutProperties(schema, callerFills);
    if (resultTypes.has(id)) {
      modelSchema = { ...modelSchema, properties: { ...asRecord(modelSchema.properties), [ESCALATION_PROPERTY]: ESCALATION_SCHEMA } };
    }
    for (const [label, s] of [['schema', schema], ['model schema', modelSchema]] as const) {
      try {
        compileSchema(s);
      } catch (e) {
        errors.push(`handoff_types.${id}: ${label} is not a valid JSON Schema: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const compiled: HandoffTypeDef = {
      id,
      version: def.version,
      description: def.description,
      extends: ext,
      caller_fills: callerFills,
      schema,
      modelSchema,
    };
    out[id] = compiled;
    return compiled;
  };
  for (const id of Object.keys(doc.handoff_types)) build(id, []);
  return out;
}

/** Guardrails name a `field`: it must be a property of the result of every task using them. */
function checkGuardrailFields(doc: DslDocument, handoffs: Record<string, HandoffTypeDef>, errors: string[]): void {
  for (const [taskId, task] of Object.entries(doc.tasks)) {
    const policy = task.guardrail_policy === undefined ? undefined : doc.guardrail_policies[task.guardrail_policy];
    const result = handoffs[task.result_handoff];
    if (policy === undefined || result === undefined) continue;
    const props = Object.keys(asRecord(result.modelSchema.properties));
    for (const rule of policy.rules) {
      const g = doc.guardrails[rule.guardrail];
      if (g === undefined || g.kind === 'output_schema') continue;
      if (!props.includes(g.field)) {
        errors.push(
          `guardrails.${rule.guardrail}.field: "${g.field}" is not a property of "${task.result_handoff}" (task ${taskId})${didYouMean(g.field, props)}`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

function withIds<T extends object>(rec: Record<string, T>): Record<string, T & { id: string }> {
  return Object.fromEntries(Object.entries(rec).map(([id, v]) => [id, { id, ...v }]));
}

/** Canonical JSON (sorted keys), for hashing. */
/**
 * Load, resolve and validate the DSL under `rootDir` (the repository root or the dsl/ folder).
 * Throws UsageError (exit 3) listing every problem: unknown keys with a did-you-mean, bad
 * `$ref`s, references to unknown agents, tasks, workflows, handoff types or guardrails.
 */
export function loadDsl(rootDir: string): DslRegistries {
  const entry = resolvePath(dslEntryPath(rootDir));
  const ctx: RefContext = { baseDir: dirname(entry), docs: new Map(), origin: new WeakMap(), displayRoot: dirname(entry) };
  const raw = resolveRefs(readDoc(entry, ctx, '(entry)'), entry, ctx, []);
  const parsed = DslDocumentSchema.safeParse(raw);
  if (!parsed.success) throw dslError(zodErrors(parsed.error, raw, ctx.origin));
  const doc = parsed.data;
  const errors = crossCheck(doc);
  if (errors.length > 0) throw dslError(errors);
  const handoffSchemas = compileHandoffs(doc, errors);
  checkGuardrailFields(doc, handoffSchemas, errors);
  if (errors.length > 0) throw dslError(errors);

  const body = {
    version: doc.version,
    system: doc.system,
    agentRegistry: withIds(doc.agents),
    taskRegistry: withIds(doc.tasks),
    workflowRegistry: withIds(doc.workflows),
    handoffSchemas,
    guardrailRegistry: withIds(doc.guardrails),
    guardrailPolicies: withIds(doc.guardrail_policies),
  };
  return { ...body, templateVersion: sha256(canonicalJson(body)).slice(0, 16) };
}

/**
 * The content of src/generated/dsl/registry.ts (DSL_REGISTRY_PATH): the validated registries
 * as a JSON constant, so the runtime never parses YAML. Throws like loadDsl().
 */
export function compileDsl(rootDir: string): string {
  const registries = loadDsl(rootDir);
  return [
    '// Generated by `npm run generate` from dsl/ (compileDsl) — do not edit by hand.',
    "import type { DslRegistries } from '../../llm/dsl/types.ts';",
    '',
    `export const dslRegistries: DslRegistries = JSON.parse(${JSON.stringify(JSON.stringify(registries))});`,
    'export default dslRegistries;',
    '',
  ].join('\n');
}

/** The content of src/generated/dsl/validators.ts: the DSL's handoff schemas, precompiled. */
export function compileDslValidators(rootDir: string): string {
  const registries = loadDsl(rootDir);
  return standaloneValidators(
    Object.values(registries.handoffSchemas).flatMap((h) => [h.schema, h.modelSchema]),
  );
}
