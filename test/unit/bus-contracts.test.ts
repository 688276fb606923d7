import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  MESSAGE_TYPES,
  MESSAGE_TYPE_NAMES,
  MessageValidationError,
  checkMessage,
  createRequest,
  createResponse,
  exportJsonSchemas,
  idempotencyKey,
  canonicalJson,
  messageTypesOf,
  validateMessage,
  type RequestMessage,
} from '../../src/contracts/bus/index.ts';
import { generateSchemaFiles } from '../../scripts/lib/export-schemas.ts';
import { repoRoot } from '../helpers/dma.ts';

const goldenDir = join(repoRoot, 'golden', 'messages');
const goldenFiles = readdirSync(goldenDir).filter((f) => f.endsWith('.json'));
const golden = (name: string) =>
  JSON.parse(readFileSync(join(goldenDir, name), 'utf8')) as Record<string, unknown>;

function expectInvalid(
  input: unknown,
  pathPart: string,
  messagePart?: RegExp,
): MessageValidationError {
  const r = checkMessage(input);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.issues.map((i) => i.path)).toContain(pathPart);
  if (messagePart) expect(r.error.message).toMatch(messagePart);
  return r.error;
}

const auth = { work_token: 'v1.x.y', expires_at: '2026-01-01T12:05:00Z' };
const meta = {
  source: 'orchestrator' as const,
  event_id: '11111111-1111-4111-8111-111111111111',
  correlation_id: '22222222-2222-4222-8222-222222222222',
  timestamp: new Date('2026-01-01T12:00:00Z'),
  auth,
};

describe('golden messages', () => {
  it('covers the required examples', () => {
    for (const name of [
      'entity.store.request.npc.json',
      'rules.thac0.request.json',
      'rules.thac0.response.json',
      'world.npc.generate.request.elara.json',
      'world.npc.generate.response.elara.json',
      'world.dungeon.generate.request.json',
    ])
      expect(goldenFiles).toContain(name);
  });

  it.each(goldenFiles)('%s is a valid message of the type its name says', (name) => {
    const msg = validateMessage(golden(name));
    expect(name.startsWith(`${msg.type}.${msg.kind}`)).toBe(true);
  });

  it('the Elara flow is one correlated chain', () => {
    const req = golden('world.npc.generate.request.elara.json');
    const res = golden('world.npc.generate.response.elara.json');
    const store = golden('entity.store.request.npc.json');
    expect(res.correlation_id).toBe(req.correlation_id);
    expect(store.correlation_id).toBe(req.correlation_id);
    expect(res.causation_id).toBe(req.event_id);
    expect(store.causation_id).toBe(res.event_id);
    const parsed = validateMessage(res);
    if (parsed.type !== 'world.npc.generate' || parsed.kind !== 'response') throw new Error('type');
    if (parsed.payload.status !== 'ok') throw new Error('status');
    expect(parsed.payload.result.npcs[0]).toMatchObject({ name: 'Elara', class: 'mage', level: 7 });
  });
});

describe('envelope', () => {
  const base = () => golden('rules.thac0.request.json');

  it('rejects unknown keys at the top, in auth and in the payload (strict)', () => {
    expectInvalid({ ...base(), extra: 1 }, '', /unrecognized key/i);
    expectInvalid({ ...base(), auth: { ...auth, scope: 'x' } }, 'auth');
    expectInvalid({ ...base(), payload: { class: 'fighter', level: 5, bonus: 1 } }, 'payload');
  });

  it.each([
    ['event_id', 'not-a-uuid'],
    ['correlation_id', '123'],
    ['causation_id', 'x'],
    ['idempotency_key', 'short'],
    ['idempotency_key', 'k'.repeat(129)],
    ['idempotency_key', 'has spaces in it'],
    ['timestamp', '2026-01-01 12:00'],
    ['source', 'gm'],
    ['target', 'dragon'],
    ['kind', 'event'],
    ['type', 'Rules.THAC0'],
    ['type', 'thac0'],
    ['api_version', 'v2'],
  ])('rejects a bad %s (%s)', (field, value) => {
    expectInvalid({ ...base(), [field]: value }, field);
  });

  it('requires every mandatory field', () => {
    for (const field of [
      'event_id',
      'correlation_id',
      'idempotency_key',
      'timestamp',
      'source',
      'target',
      'kind',
      'type',
      'payload',
      'auth',
      'api_version',
    ]) {
      const msg = base();
      delete msg[field];
      expectInvalid(msg, field);
    }
  });

  it('accepts a timestamp with an offset and refuses one sent to itself', () => {
    expect(validateMessage({ ...base(), timestamp: '2026-01-01T13:00:00+01:00' }).type).toBe(
      'rules.thac0',
    );
    expectInvalid({ ...base(), source: 'sma' }, 'target', /same/);
  });

  it('bounds the payload size', () => {
    const big = 'x'.repeat(200);
    const data = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, big]));
    const msg = golden('entity.store.request.npc.json');
    expectInvalid(
      { ...msg, payload: { entity: { type: 'npc', name: 'Big', data } } },
      'payload',
      /byte limit/,
    );
  });

  it('names an unknown type with a did-you-mean', () => {
    const err = expectInvalid({ ...base(), type: 'rules.thaco' }, 'type');
    expect(err.message).toContain(
      'unknown message type "rules.thaco" — did you mean "rules.thac0"?',
    );
    expect(err).toBeInstanceOf(UsageError);
    expect(err.exitCode).toBe(3);
  });

  it('checks the direction against the registry', () => {
    expectInvalid({ ...base(), target: 'scribe' }, 'target', /must be "sma"/);
    const res = golden('rules.thac0.response.json');
    expectInvalid({ ...res, source: 'wed' }, 'source', /must be "sma"/);
  });

  it('validates the payload against the request schema and applies defaults', () => {
    expectInvalid({ ...base(), payload: { class: 'fighter', level: 21 } }, 'payload.level');
    expectInvalid({ ...base(), payload: { class: 'wizzard', level: 5 } }, 'payload.class');
    expectInvalid({ ...base(), payload: { level: 5 } }, 'payload.class');
    const npc = validateMessage({
      ...golden('world.npc.generate.request.elara.json'),
      payload: { class: 'mage' },
    });
    expect(npc.payload).toEqual({ class: 'mage', method: '3d6-in-order', count: 1, save: false });
  });

  it('validates a response as a TaskResult', () => {
    const res = golden('rules.thac0.response.json');
    expectInvalid({ ...res, payload: { status: 'ok' } }, 'payload.result');
    expectInvalid({ ...res, payload: { status: 'done', result: {} } }, 'payload.status');
    expectInvalid(
      { ...res, payload: { status: 'error', error: { code: 'bad code', message: 'x' } } },
      'payload.error.code',
    );
    expectInvalid(
      {
        ...res,
        payload: {
          status: 'ok',
          result: { class: 'fighter', group: 'warrior', level: 5, thac0: 16 },
          error: { code: 'X', message: 'y' },
        },
      },
      'payload',
    );
    expect(validateMessage(golden('rules.thac0.response.error.json')).kind).toBe('response');
  });

  it('throws MessageValidationError naming the first issue and its path', () => {
    const msg = { ...base(), event_id: 'x', correlation_id: 'y' };
    expect(() => validateMessage(msg)).toThrow(MessageValidationError);
    const r = checkMessage(msg);
    expect(!r.ok && r.error.issues).toEqual([{ path: 'event_id', message: 'must be a UUID' }]);
    expect(!r.ok && r.error.message).toMatch(/^invalid bus message: event_id: must be a UUID$/);
  });
});

describe('payload bounds', () => {
  const req = (type: keyof typeof MESSAGE_TYPES, payload: unknown) =>
    MESSAGE_TYPES[type].request.safeParse(payload).success;

  it.each([
    ['entity.store', { entity: { type: 'npc', name: '' } }],
    ['entity.store', { entity: { type: 'dragon', name: 'Smaug' } }],
    ['entity.store', { entity: { type: 'npc', name: 'x'.repeat(256) } }],
    ['entity.store', { entity: { type: 'npc', name: 'A' }, expected_version: 0 }],
    ['entity.retrieve', { ref: '   ' }],
    ['entity.search', { query: 'a', limit: 101 }],
    ['entity.link', { source: 'a', target: 'b', relationship: 'Member Of' }],
    ['entity.link', { source: 'a', target: 'b', relationship: 'member_of', strength: 1.5 }],
    ['rules.save', { class: 'cleric', level: 7, save: 'dragon' }],
    ['rules.lookup', { table: 'Thief Skills', key: '7' }],
    ['rules.roll', { notation: 'fireball' }],
    ['rules.roll', { notation: '1d6', times: 101 }],
    ['world.npc.generate', { count: 10_001 }],
    ['world.npc.generate', { level: 0 }],
    ['world.npc.generate', { alignment: 'LG' }],
    ['world.npc.generate', { seed: -1 }],
    ['world.npc.generate', { seed: 1.5 }],
    ['world.dungeon.generate', { rooms: 201 }],
    ['world.dungeon.generate', { level: 11 }],
    ['world.dungeon.generate', { size: 'huge' }],
  ] as const)('%s refuses %j', (type, payload) => {
    expect(req(type, payload)).toBe(false);
  });

  it.each([
    ['entity.store', { entity: { type: 'faction', name: 'Red Hand' } }],
    ['entity.retrieve', { ref: 'Elara', type: 'npc' }],
    [
      'entity.link',
      { source: 'Elara', target: 'Red Hand', relationship: 'member_of', strength: -1 },
    ],
    ['rules.save', { class: 'priest', level: 7, save: 'spell' }],
    ['rules.lookup', { table: 'thief-skills', key: 7 }],
    ['rules.roll', { notation: 'd%' }],
    ['world.npc.generate', {}],
    ['world.dungeon.generate', { rooms: 20, level: 2 }],
  ] as const)('%s accepts %j', (type, payload) => {
    expect(req(type, payload)).toBe(true);
  });
});

describe('registry', () => {
  it('maps every type to its agent by prefix', () => {
    const prefix = { scribe: 'entity.', sma: 'rules.', wed: 'world.' } as const;
    for (const t of MESSAGE_TYPE_NAMES)
      expect(t.startsWith(prefix[MESSAGE_TYPES[t].agent])).toBe(true);
    expect(messageTypesOf('scribe')).toEqual([
      'entity.store',
      'entity.store_batch',
      'entity.retrieve',
      'entity.search',
      'entity.link',
    ]);
    expect(messageTypesOf('sma')).toHaveLength(4);
    expect(messageTypesOf('wed')).toEqual(['world.npc.generate', 'world.dungeon.generate']);
  });
});

describe('createRequest / createResponse', () => {
  it('fills target, kind, version and a deterministic idempotency key', () => {
    const req = createRequest('rules.thac0', { class: 'fighter', level: 5 }, meta);
    expect(req).toMatchObject({
      target: 'sma',
      kind: 'request',
      api_version: 'v1',
      timestamp: '2026-01-01T12:00:00.000Z',
    });
    expect(req.idempotency_key).toBe(idempotencyKey('rules.thac0', { level: 5, class: 'fighter' }));
    expect(req.idempotency_key).toMatch(/^rules\.thac0:[0-9a-f]{64}$/);
    expect(idempotencyKey('rules.thac0', { class: 'fighter', level: 6 })).not.toBe(
      req.idempotency_key,
    );
  });

  it('refuses an invalid payload', () => {
    expect(() => createRequest('rules.thac0', { class: 'fighter', level: 99 }, meta)).toThrow(
      /invalid rules\.thac0 request: payload\.level/,
    );
  });

  it('answers back along the chain', () => {
    const req: RequestMessage<'rules.thac0'> = createRequest(
      'rules.thac0',
      { class: 'fighter', level: 5 },
      meta,
    );
    const res = createResponse(
      req,
      { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 5, thac0: 16 } },
      { event_id: '33333333-3333-4333-8333-333333333333', timestamp: '2026-01-01T12:00:01Z', auth },
    );
    expect(res).toMatchObject({
      source: 'sma',
      target: 'orchestrator',
      kind: 'response',
      correlation_id: req.correlation_id,
      causation_id: req.event_id,
      idempotency_key: req.idempotency_key,
    });
  });

  it('builds the envelope in contract order, the same message validateMessage returns', () => {
    const req = createRequest('rules.thac0', { class: 'fighter', level: 5 }, meta);
    expect(Object.keys(req)).toEqual(Object.keys(validateMessage({ ...req })));
    expect(JSON.stringify(validateMessage({ ...req }))).toBe(JSON.stringify(req));
    const caused = createRequest(
      'rules.thac0',
      { class: 'fighter', level: 5 },
      {
        ...meta,
        causation_id: '33333333-3333-4333-8333-333333333333',
      },
    );
    expect(Object.keys(caused).slice(0, 4)).toEqual([
      'event_id',
      'correlation_id',
      'causation_id',
      'idempotency_key',
    ]);
  });

  it('takes a validated message as it is, but checks a changed copy again', () => {
    const req = createRequest('rules.thac0', { class: 'fighter', level: 5 }, meta);
    expect(validateMessage(req)).toBe(req);
    // the mark of a checked message is invisible: keys, JSON, equality, copies
    const copy = { ...req };
    expect(Object.keys(req)).toEqual(Object.keys(copy));
    expect(req).toStrictEqual(copy);
    expect(structuredClone(req)).toStrictEqual(copy);
    expect(validateMessage(copy)).not.toBe(copy);
    const changed = { ...req, payload: { class: 'fighter', level: 99 } };
    expect(() => validateMessage(changed)).toThrow(MessageValidationError);
  });

  it('refuses a null causation id (absent is none; null is not a string)', () => {
    const nullCause = { ...meta, causation_id: null as unknown as string };
    expect(() => createRequest('rules.thac0', { class: 'fighter', level: 5 }, nullCause)).toThrow(
      /invalid bus message: causation_id: must be string/,
    );
    const req = createRequest('rules.thac0', { class: 'fighter', level: 5 }, meta);
    expect(() =>
      createResponse(
        { ...req, event_id: null as unknown as string },
        { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 5, thac0: 16 } },
        { event_id: '33333333-3333-4333-8333-333333333333', timestamp: meta.timestamp, auth },
      ),
    ).toThrow(/causation_id: must be string/);
  });

  it('canonicalJson ignores key order but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('JSON Schema export', () => {
  it('exports the envelope and a request and response per type', () => {
    const files = exportJsonSchemas();
    expect(Object.keys(files)).toHaveLength(1 + 2 * MESSAGE_TYPE_NAMES.length);
    expect(files['envelope.v1.json']).toMatchObject({
      additionalProperties: false,
      $id: expect.stringContaining('envelope.v1.json'),
    });
    const npc = files['world.npc.generate.request.v1.json'] as {
      required?: string[];
      properties: Record<string, unknown>;
    };
    // defaults make fields optional for a sender
    expect(npc.required ?? []).not.toContain('count');
    expect(Object.keys(npc.properties)).toContain('method');
  });

  it('docs/schemas is up to date with the contracts', () => {
    for (const f of generateSchemaFiles())
      expect(readFileSync(join(repoRoot, f.path), 'utf8'), f.path).toBe(f.content);
  });
});
