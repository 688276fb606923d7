/**
 * The compiled contract validators (src/generated/contract-validators.ts) against the Zod
 * schemas they were compiled from: on real payloads — golden messages and everything a
 * run of each agent puts on the bus — and on thousands of mutations of them, both must
 * accept and reject the same values, and give the same value back.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z as zod, type z } from 'zod';
import { jsonSchemaOf } from '../../scripts/lib/contract-validators.ts';
import { orchestrate } from '../../src/agents/orchestrator.ts';
import { taskErrorSchema } from '../../src/contracts/bus/common.ts';
import { envelopeSchema } from '../../src/contracts/bus/envelope.ts';
import { MESSAGE_TYPES, type MessageType } from '../../src/contracts/bus/registry.ts';
import { checkMessage, compiledValidator } from '../../src/contracts/bus/validate.ts';
import {
  ENTITY_TYPES,
  entityDataSchemas,
  exportDocumentHeaderSchema,
  exportedEntitySchema,
  exportedRelationshipSchema,
  type EntityType,
} from '../../src/contracts/entities.ts';
import {
  entityDataIssue,
  exportedEntityIssue,
  exportedRelationshipIssue,
  exportHeaderIssue,
} from '../../src/contracts/entity-rules.ts';
import type { ExportDocument } from '../../src/contracts/entity-types.ts';
import { busOf } from '../../src/store/bus.ts';
import { parse as parseYaml } from 'yaml';
import { openStore } from '../../src/store/index.ts';
import { repoRoot } from '../helpers/dma.ts';

type Json = unknown;

/** Every value reachable by changing one place in `value`, a few ways per place. */
function* mutations(value: Json, depth = 0): Generator<Json> {
  const leaf = [
    undefined,
    null,
    '',
    ' padded ',
    'x'.repeat(70),
    'x'.repeat(300),
    'y'.repeat(2100),
    '😀'.repeat(40),
    0,
    -1,
    1.5,
    7,
    21,
    101,
    1e20,
    true,
    [],
    {},
    'fighter',
    'npc',
    'ok',
    '2026-01-01T00:00:00.000Z',
    randomUUID(),
  ];
  for (const l of leaf) yield l;
  if (depth > 6) return;
  if (Array.isArray(value)) {
    yield [...value, ...value.slice(0, 1)];
    for (let i = 0; i < Math.min(value.length, 3); i++)
      for (const m of mutations(value[i], depth + 1)) {
        const copy = structuredClone(value);
        copy[i] = m;
        yield copy;
      }
  } else if (typeof value === 'object' && value !== null) {
    yield { ...structuredClone(value), unexpected_key: 1 };
    for (const k of Object.keys(value)) {
      const { [k]: _drop, ...rest } = structuredClone(value) as Record<string, Json>;
      yield rest;
      for (const m of mutations((value as Record<string, Json>)[k], depth + 1))
        yield { ...structuredClone(value), [k]: m };
    }
  } else if (typeof value === 'string') {
    yield ` ${value} `;
    yield value.toUpperCase();
    yield value.slice(1);
  } else if (typeof value === 'number') {
    yield value + 1;
    yield value - 1;
    yield -value;
  }
}

/** Both verdicts on one value (keys holding `undefined` included), and both outputs. */
function compare(schema: z.ZodType, accepts: (v: Json) => boolean, value: Json) {
  const zod = schema.safeParse(structuredClone(value));
  const mine = structuredClone(value);
  const ok = accepts(mine);
  return { zod, ok, mine };
}

/** `check`: the compiled validator `name` by default; the store's whole check for entities. */
function expectSame(
  schema: z.ZodType,
  name: string,
  samples: readonly Json[],
  check: (v: Json) => boolean = (v) => compiledValidator(name)(v),
) {
  let checked = 0;
  for (const sample of samples) {
    for (const value of [sample, ...mutations(sample)]) {
      const { zod, ok, mine } = compare(schema, check, value);
      if (zod.success !== ok)
        throw new Error(
          `${name}: Zod says ${zod.success ? 'valid' : 'invalid'}, compiled says ${ok ? 'valid' : 'invalid'} for ${JSON.stringify(value)?.slice(0, 400)}`,
        );
      if (ok)
        expect(JSON.parse(JSON.stringify(mine))).toEqual(JSON.parse(JSON.stringify(zod.data)));
      checked++;
    }
  }
  return checked;
}

const goldenDir = join(repoRoot, 'golden', 'messages');
const goldenMessages = [goldenDir, join(goldenDir, 'v1')].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, Json>),
);

/** What running the agents puts on the bus: every type, requests and responses. */
let exported: ExportDocument | undefined;

async function liveMessages(): Promise<Record<string, Json>[]> {
  const store = await openStore({ path: ':memory:' });
  try {
    const run = (type: MessageType, payload: unknown) =>
      orchestrate(store, type, payload as never).catch(() => undefined);
    const npc = await run('world.npc.generate', {
      class: 'fighter',
      level: 9,
      name: 'Brom',
      seed: 3,
      save: true,
    });
    await run('world.npc.generate', { class: 'mage', level: 7, count: 2, seed: 5 });
    await run('world.npc.generate', { class: 'thief', race: 'halfling', seed: 8, save: true });
    await run('world.dungeon.generate', { rooms: 6, level: 2, seed: 4, save: true });
    await run('rules.thac0', { class: 'fighter', level: 5 });
    await run('rules.thac0', { class: 'bard', level: 0 });
    await run('rules.save', { class: 'cleric', level: 7, save: 'spell' });
    await run('rules.save', { class: 'mage', level: 3 });
    await run('rules.lookup', { table: 'thac0', key: 'warrior' });
    await run('rules.roll', { notation: '4d6dl1', seed: 1, times: 3 });
    await run('entity.search', { query: 'Brom' });
    await run('entity.retrieve', { ref: 'Brom' });
    await run('entity.retrieve', { ref: 'Nobody' });
    const ids = (await store.list({})).map((e) => e.id);
    await run('entity.link', { source: ids[0], target: ids[1], relationship: 'ally_of' });
    expect(npc).toBeDefined();
    exported = await store.export();
    return busOf(store)
      .tail({ limit: 10_000 })
      .map((m) => JSON.parse(JSON.stringify(m.message)) as Record<string, Json>);
  } finally {
    store.close();
  }
}

describe('compiled contract validators agree with the Zod contracts', async () => {
  const messages = [...goldenMessages, ...(await liveMessages())];
  const types = new Set(messages.map((m) => `${String(m['type'])}.${String(m['kind'])}`));

  it('the samples cover every message type, both ways', () => {
    for (const t of Object.keys(MESSAGE_TYPES)) {
      expect(types).toContain(`${t}.request`);
      expect(types).toContain(`${t}.response`);
    }
  });

  it('on envelopes', () => {
    const envelopes = messages.slice(0, 12).map((m) => ({ ...m, payload: { a: 1 } }));
    expect(expectSame(envelopeSchema, 'envelope', envelopes)).toBeGreaterThan(500);
  });

  it.each(Object.keys(MESSAGE_TYPES) as MessageType[])('on %s requests and results', (type) => {
    const requests = messages.filter((m) => m['type'] === type && m['kind'] === 'request');
    const results = messages
      .filter((m) => m['type'] === type && m['kind'] === 'response')
      .map((m) => m['payload'] as { status: string; result?: Json })
      .filter((p) => p.status === 'ok')
      .map((p) => p.result);
    expect(
      expectSame(
        MESSAGE_TYPES[type].request,
        `request:${type}`,
        requests.map((m) => m['payload']),
      ),
    ).toBeGreaterThan(20);
    expectSame(MESSAGE_TYPES[type].result, `result:${type}`, results.slice(0, 2));
  });

  it('on task errors', () => {
    const errors = messages
      .map((m) => m['payload'] as { status?: string; error?: Json })
      .filter((p) => p.status === 'error')
      .map((p) => p.error);
    expect(errors.length).toBeGreaterThan(0);
    expectSame(taskErrorSchema, 'task_error', errors);
  });

  const pc = parseYaml(readFileSync(join(repoRoot, 'golden', 'pc-fighter.yaml'), 'utf8')) as Json;
  const plain: Partial<Record<EntityType, Json[]>> = {
    pc: [
      pc,
      {
        ...(pc as object),
        abilities: { str: 18, str_exceptional: 76, dex: 12, con: 14, int: 10, wis: 9, cha: 11 },
      },
    ],
    location: [
      { location_type: 'inn', size: 'small', description: 'The Prancing Pony', contents: ['x'] },
    ],
    item: [{ kind: 'sword', value_gp: 15, weight_lb: 4, magical: true, notes: '+1' }],
    faction: [{ alignment: 'lawful evil', goals: ['rule the city'], description: 'The Zhentarim' }],
    note: [{ text: 'Session 3: the party reached the keep', tags: ['session'] }],
  };

  it.each([...ENTITY_TYPES])(
    'on %s entity data, with the hand-written rules',
    (type) => {
      const samples = [
        ...(exported?.entities ?? [])
          .filter((e) => e.type === type)
          .slice(0, 3)
          .map((e) => e.data),
        ...(plain[type] ?? []),
      ];
      expect(samples.length).toBeGreaterThan(0);
      expectSame(
        entityDataSchemas[type],
        `entity:${type}`,
        samples,
        (v) => entityDataIssue(type, v) === undefined,
      );
      // a dungeon's data (monster specials, keyed traps, named items) mutates into tens of
      // thousands of values
    },
    180_000,
  );

  it('on export documents: header, entity and relationship records', () => {
    const doc = exported!;
    expect(doc.relationships.length).toBeGreaterThan(0);
    expectSame(
      exportDocumentHeaderSchema,
      'export:header',
      [{ ...doc, entities: [], relationships: [] }],
      (v) => exportHeaderIssue(v) === undefined,
    );
    expectSame(
      exportedEntitySchema,
      'export:entity',
      doc.entities.slice(0, 2).map((e) => ({ ...e, data: { a: 1 } })),
      (v) => exportedEntityIssue(v) === undefined,
    );
    expectSame(
      exportedRelationshipSchema,
      'export:relationship',
      doc.relationships.slice(0, 2),
      (v) => exportedRelationshipIssue(v) === undefined,
    );
  });

  it('whole messages: checkMessage accepts every sample as it is', () => {
    for (const m of messages) expect(checkMessage(structuredClone(m)).ok).toBe(true);
  });
});

describe('the generator refuses what it cannot compile exactly', () => {
  it.each([
    ['a transform', zod.string().transform((s) => s.length), /transform/],
    ['a strip-mode object', zod.object({ a: zod.string() }), /strip-mode/],
    ['a regex with flags', zod.string().regex(/^a$/i), /no flags/],
    ['a rewrite other than trim', zod.string().toLowerCase(), /only \.trim\(\)/],
    [
      'a refinement nobody checks',
      zod.strictObject({ a: zod.int() }).refine((o) => o.a > 1),
      /refinement/,
    ],
  ])('%s', (_what, schema, message) => {
    expect(() => jsonSchemaOf(schema as z.ZodType, 'test')).toThrow(message);
  });

  it('marks .trim() and lists the keys of an enum-keyed record as required', () => {
    const json = jsonSchemaOf(
      zod.strictObject({
        name: zod.string().trim().min(1),
        saves: zod.record(zod.enum(['a', 'b']), zod.int()),
      }),
      'test',
    ) as { properties: Record<string, Record<string, unknown>> };
    expect(json.properties['name']).toMatchObject({ 'x-trim': true });
    expect(json.properties['saves']).toMatchObject({ required: ['a', 'b'] });
  });
});

describe('validated messages', () => {
  it('come back with their fields in the envelope order, whatever order they were sent in', () => {
    const golden = JSON.parse(
      readFileSync(join(repoRoot, 'golden', 'messages', 'rules.thac0.request.json'), 'utf8'),
    ) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(golden).reverse());
    const r = checkMessage(reversed);
    expect(r.ok && Object.keys(r.message)).toEqual(Object.keys(golden));
  });
});
