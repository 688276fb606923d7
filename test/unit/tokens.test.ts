import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  DEFAULT_TOKEN_TTL_MS,
  WorkTokenError,
  generateSecret,
  issueToken,
  requireToken,
  verifyToken,
} from '../../src/agents/tokens.ts';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const now = new Date('2026-01-01T12:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const task = '6f1c2b0a-3d4e-4f5a-8b6c-7d8e9f0a1b2c';
const issue = (extra: { type?: string; ttlMs?: number } = {}) =>
  issueToken(secret, { agent: 'sma', task_id: task, now, ...extra }).work_token;
const expectRefused = (v: ReturnType<typeof verifyToken>, reason: string) => {
  expect(v.ok).toBe(false);
  expect(!v.ok && v.reason).toBe(reason);
};

describe('work tokens', () => {
  it('a fresh token verifies for its agent and task, with its claims', () => {
    const t = issueToken(secret, {
      agent: 'sma',
      task_id: task,
      type: 'rules.thac0',
      ttlMs: 60_000,
      now,
    });
    expect(t.expires_at).toBe('2026-01-01T12:01:00.000Z');
    expect(t.work_token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const v = verifyToken(secret, t.work_token, {
      agent: 'sma',
      task_id: task,
      type: 'rules.thac0',
      now: later(59_999),
    });
    expect(v).toEqual({
      ok: true,
      claims: {
        agent: 'sma',
        task_id: task,
        type: 'rules.thac0',
        issued_at: '2026-01-01T12:00:00.000Z',
        expires_at: '2026-01-01T12:01:00.000Z',
      },
    });
  });

  it('defaults to a 5-minute TTL and is deterministic for the same inputs', () => {
    const t = issueToken(secret, { agent: 'wed', task_id: task, now });
    expect(Date.parse(t.expires_at) - now.getTime()).toBe(DEFAULT_TOKEN_TTL_MS);
    expect(issueToken(secret, { agent: 'wed', task_id: task, now })).toEqual(t);
  });

  it('signs with HMAC-SHA256 of the secret, byte for byte, for every kind of secret', () => {
    const secrets: (string | Uint8Array)[] = [
      secret,
      'ab12'.repeat(16), // 64 hex characters, as the campaign stores it
      generateSecret(),
      'x'.repeat(65), // longer than the hash block: the key is hashed first
      'é'.repeat(20), // bytes above 0x7f
      Uint8Array.from({ length: 32 }, (_, i) => 255 - i),
    ];
    for (const s of secrets) {
      const token = issueToken(s, { agent: 'sma', task_id: task, now }).work_token;
      const [version, claims, signature] = token.split('.') as [string, string, string];
      expect(signature).toBe(
        createHmac('sha256', s).update(`${version}.${claims}`).digest('base64url'),
      );
      expect(verifyToken(s, token, { agent: 'sma', task_id: task, now }).ok).toBe(true);
      expect(
        verifyToken(s, `${version}.${claims}.${'A'.repeat(43)}`, {
          agent: 'sma',
          task_id: task,
          now,
        }).ok,
      ).toBe(false);
    }
  });

  it('refuses a missing token', () => {
    for (const t of [undefined, null, ''])
      expectRefused(verifyToken(secret, t, { agent: 'sma', task_id: task, now }), 'missing');
  });

  it.each([
    'jwt',
    'v1.abc',
    'v2.abc.def',
    `v1..${'A'.repeat(43)}`,
    `v1.abc.${'A'.repeat(42)}`,
    'v1.a b.c',
  ])('refuses a malformed token %j', (t) =>
    expectRefused(verifyToken(secret, t, { agent: 'sma', task_id: task, now }), 'malformed'),
  );

  it('refuses correctly signed claims that are not claims as malformed', () => {
    // only reachable with the secret: an issuer bug, not an attacker
    for (const body of ['notjson', '{"agt":"sma"}', '[1,2]']) {
      const signed = `v1.${Buffer.from(body).toString('base64url')}`;
      const sig = createHmac('sha256', secret).update(signed).digest('base64url');
      expectRefused(
        verifyToken(secret, `${signed}.${sig}`, { agent: 'sma', task_id: task, now }),
        'malformed',
      );
    }
  });

  it('refuses a forged token: other secret, tampered claims, tampered signature', () => {
    const other = issueToken(generateSecret(), { agent: 'sma', task_id: task, now }).work_token;
    expectRefused(verifyToken(secret, other, { agent: 'sma', task_id: task, now }), 'forged');

    const [v, claims, sig] = issue().split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const widened = Buffer.from(JSON.stringify({ ...decoded, exp: 9e15 })).toString('base64url');
    expectRefused(
      verifyToken(secret, `${v}.${widened}.${sig}`, { agent: 'sma', task_id: task, now }),
      'forged',
    );

    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expectRefused(
      verifyToken(secret, `${v}.${claims}.${flipped}`, { agent: 'sma', task_id: task, now }),
      'forged',
    );
  });

  it('refuses an expired token, at and after expiry', () => {
    const t = issue({ ttlMs: 1000 });
    expect(verifyToken(secret, t, { agent: 'sma', task_id: task, now: later(999) }).ok).toBe(true);
    expectRefused(
      verifyToken(secret, t, { agent: 'sma', task_id: task, now: later(1000) }),
      'expired',
    );
    expectRefused(
      verifyToken(secret, t, { agent: 'sma', task_id: task, now: later(86_400_000) }),
      'expired',
    );
  });

  it('refuses a token scoped to another agent', () => {
    const v = verifyToken(secret, issue(), { agent: 'scribe', task_id: task, now });
    expectRefused(v, 'wrong_agent');
    expect(!v.ok && v.message).toBe('work token is for agent sma, not scribe');
  });

  it('refuses a token scoped to another task', () => {
    expectRefused(
      verifyToken(secret, issue(), { agent: 'sma', task_id: 'other-task', now }),
      'wrong_task',
    );
  });

  it('refuses a token scoped to another message type, and ignores type when unscoped', () => {
    const typed = issue({ type: 'rules.thac0' });
    expectRefused(
      verifyToken(secret, typed, { agent: 'sma', task_id: task, type: 'rules.save', now }),
      'wrong_type',
    );
    expect(
      verifyToken(secret, issue(), { agent: 'sma', task_id: task, type: 'rules.save', now }).ok,
    ).toBe(true);
  });

  it('requireToken throws WorkTokenError with a bus error code', () => {
    expect(requireToken(secret, issue(), { agent: 'sma', task_id: task, now }).agent).toBe('sma');
    let caught: unknown;
    try {
      requireToken(secret, undefined, { agent: 'sma', task_id: task, now });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WorkTokenError);
    expect((caught as WorkTokenError).reason).toBe('missing');
    expect((caught as WorkTokenError).taskErrorCode).toBe('WORK_TOKEN_MISSING');
    expect((caught as WorkTokenError).exitCode).toBe(3);
  });

  it('refuses weak secrets and bad scopes when issuing', () => {
    expect(() => issueToken('short', { agent: 'sma', task_id: task, now })).toThrow(UsageError);
    expect(() => verifyToken('short', 'x', { agent: 'sma', task_id: task, now })).toThrow(
      /at least 32/,
    );
    expect(() => issueToken(secret, { agent: 'sma', task_id: '', now })).toThrow(/task_id/);
    expect(() => issueToken(secret, { agent: 'sma', task_id: task, ttlMs: 0, now })).toThrow(/ttl/);
    expect(() =>
      issueToken(secret, { agent: 'sma', task_id: task, ttlMs: 3_600_001, now }),
    ).toThrow(/ttl/);
    expect(() => issueToken(secret, { agent: 'dragon' as 'sma', task_id: task, now })).toThrow(
      /unknown agent/,
    );
  });

  it('generateSecret gives 32 fresh random bytes', () => {
    const a = generateSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(generateSecret());
    expect(
      verifyToken(a, issueToken(a, { agent: 'cli', task_id: 't', now }).work_token, {
        agent: 'cli',
        task_id: 't',
        now,
      }).ok,
    ).toBe(true);
  });
});
