/**
 * Schema evolution within v1: the frozen v1 messages stay valid, and the exported JSON
 * Schemas may only grow compared with their frozen copies (test/fixtures/schemas-v1):
 * no removed property, no newly required property, no narrowed enum, bound or type.
 * A breaking change needs v2 — new files, not an edit of these.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJsonSchemas, validateMessage } from '../../src/contracts/bus/index.ts';
import { repoRoot } from '../helpers/dma.ts';

type Schema = Record<string, unknown>;
const frozenDir = join(repoRoot, 'test', 'fixtures', 'schemas-v1');
const v1MessagesDir = join(repoRoot, 'golden', 'messages', 'v1');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Schema;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Every way `cur` accepts less than `old` did; empty when the change is additive. */
function breakingChanges(old: unknown, cur: unknown, path = '#'): string[] {
  if (!isObj(old)) return [];
  if (!isObj(cur)) return [`${path}: schema removed`];
  const out: string[] = [];
  const oldTypes = asArray(old.type);
  const curTypes = asArray(cur.type);
  if (curTypes.length > 0)
    for (const t of oldTypes)
      if (!curTypes.includes(t)) out.push(`${path}: type ${String(t)} no longer accepted`);
  if ('const' in old && JSON.stringify(old.const) !== JSON.stringify(cur.const))
    out.push(`${path}: const changed`);
  if (Array.isArray(old.enum)) {
    const curEnum = Array.isArray(cur.enum) ? cur.enum : undefined;
    for (const v of old.enum)
      if (curEnum && !curEnum.includes(v))
        out.push(`${path}: enum value ${JSON.stringify(v)} removed`);
  } else if (Array.isArray(cur.enum)) out.push(`${path}: enum added`);
  for (const k of ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const)
    if (typeof cur[k] === 'number' && (typeof old[k] !== 'number' || cur[k] > old[k]))
      out.push(`${path}: ${k} raised`);
  for (const k of ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const)
    if (typeof cur[k] === 'number' && (typeof old[k] !== 'number' || cur[k] < old[k]))
      out.push(`${path}: ${k} lowered`);
  if (typeof cur.pattern === 'string' && cur.pattern !== old.pattern)
    out.push(`${path}: pattern changed`);
  if (typeof cur.format === 'string' && cur.format !== old.format)
    out.push(`${path}: format changed`);
  const oldReq = asArray(old.required);
  for (const r of asArray(cur.required))
    if (!oldReq.includes(r)) out.push(`${path}: property ${String(r)} newly required`);
  const oldProps = isObj(old.properties) ? old.properties : {};
  const curProps = isObj(cur.properties) ? cur.properties : {};
  for (const [k, v] of Object.entries(oldProps)) {
    if (!(k in curProps)) out.push(`${path}/properties/${k}: property removed`);
    else out.push(...breakingChanges(v, curProps[k], `${path}/properties/${k}`));
  }
  if (old.additionalProperties !== false && cur.additionalProperties === false)
    out.push(`${path}: additional properties no longer allowed`);
  if (isObj(old.additionalProperties))
    out.push(
      ...breakingChanges(
        old.additionalProperties,
        cur.additionalProperties,
        `${path}/additionalProperties`,
      ),
    );
  out.push(...breakingChanges(old.items, cur.items, `${path}/items`));
  for (const k of ['oneOf', 'anyOf'] as const) {
    const oldAlts = asArray(old[k]);
    const curAlts = asArray(cur[k]);
    oldAlts.forEach((alt, i) => {
      // an alternative still exists when some current alternative accepts all it did
      if (!curAlts.some((c) => breakingChanges(alt, c).length === 0))
        out.push(`${path}/${k}/${i}: alternative narrowed or removed`);
    });
  }
  return out;
}

describe('v1 messages stay valid', () => {
  const files = readdirSync(v1MessagesDir).filter((f) => f.endsWith('.json'));
  it('has frozen messages', () => expect(files.length).toBeGreaterThanOrEqual(6));
  it.each(files)('golden/messages/v1/%s', (name) => {
    expect(() => validateMessage(readJson(join(v1MessagesDir, name)))).not.toThrow();
  });
});

describe('v1 JSON Schemas only grow', () => {
  const current = exportJsonSchemas();
  const frozen = readdirSync(frozenDir).filter((f) => f.endsWith('.json'));

  it('no frozen schema disappeared', () => {
    expect(frozen.length).toBeGreaterThan(0);
    for (const f of frozen) expect(Object.keys(current), f).toContain(f);
  });

  it.each(frozen)('%s has only additive changes', (f) => {
    expect(breakingChanges(readJson(join(frozenDir, f)), current[f])).toEqual([]);
  });
});

describe('the compatibility check itself', () => {
  const old: Schema = readJson(join(frozenDir, 'world.npc.generate.request.v1.json'));
  const clone = () => structuredClone(old) as Schema & { properties: Record<string, Schema> };

  it('accepts identity and additive changes', () => {
    expect(breakingChanges(old, old)).toEqual([]);
    const grown = clone();
    grown.properties.title = { type: 'string', maxLength: 64 };
    grown.properties.count = { ...grown.properties.count, maximum: 100 };
    (grown.properties.race as { enum: string[] }).enum.push('half-orc');
    expect(breakingChanges(old, grown)).toEqual([]);
  });

  it.each([
    [
      'a removed property',
      (s: ReturnType<typeof clone>) => void delete s.properties.name,
      /property removed/,
    ],
    [
      'a newly required property',
      (s: ReturnType<typeof clone>) => void (s.required = ['class']),
      /class newly required/,
    ],
    [
      'a narrowed enum',
      (s: ReturnType<typeof clone>) =>
        void (s.properties.race = { type: 'string', enum: ['human'] }),
      /enum value "elf" removed/,
    ],
    [
      'a lowered maximum',
      (s: ReturnType<typeof clone>) =>
        void (s.properties.count = { ...s.properties.count, maximum: 10 }),
      /maximum lowered/,
    ],
    [
      'a changed type',
      (s: ReturnType<typeof clone>) => void (s.properties.level = { type: 'string' }),
      /type integer no longer accepted/,
    ],
  ])('flags %s', (_what, mutate, expected) => {
    const s = clone();
    mutate(s);
    expect(breakingChanges(old, s).join('\n')).toMatch(expected);
  });

  it('flags a removed TaskResult alternative', () => {
    const resp = readJson(join(frozenDir, 'rules.thac0.response.v1.json'));
    const narrowed = { ...resp, oneOf: asArray(resp.oneOf).slice(0, 1) };
    expect(breakingChanges(resp, narrowed)).toEqual(['#/oneOf/1: alternative narrowed or removed']);
  });
});
