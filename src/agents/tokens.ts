/**
 * Task-scoped work tokens (original design 001, "Work Token Implementation"): an agent
 * accepts a bus message only with a token signed by the campaign's secret, still
 * within its short TTL, and issued for that agent and that task.
 *
 * Format: `v1.<claims>.<signature>`, both base64url; the signature is HMAC-SHA256 over
 * `v1.<claims>`. Claims: `{agt, tid, typ?, iat, exp}` (times in epoch milliseconds).
 * Not a JWT on purpose: one algorithm, nothing negotiable in the header.
 */
import * as nodeCrypto from 'node:crypto';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { DmaError, UsageError } from '../core/errors.ts';
import { isoTime } from '../core/time.ts';
import { AGENTS, type AgentName } from '../contracts/bus/vocabulary.ts';

export const TOKEN_VERSION = 'v1';
export const DEFAULT_TOKEN_TTL_MS = 5 * 60_000;
export const MAX_TOKEN_TTL_MS = 60 * 60_000;
export const MIN_SECRET_BYTES = 32;
const MAX_SCOPE_LENGTH = 128;
const SIGNATURE_BYTES = 32;
const TOKEN_SHAPE = /^v1\.([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/;

/** What a token was issued for. */
export interface TokenClaims {
  agent: AgentName;
  task_id: string;
  /** the message type, when the token is limited to one */
  type?: string;
  issued_at: string;
  expires_at: string;
}

export type TokenRefusalReason =
  'missing' | 'malformed' | 'forged' | 'expired' | 'wrong_agent' | 'wrong_task' | 'wrong_type';

export type TokenVerification =
  { ok: true; claims: TokenClaims } | { ok: false; reason: TokenRefusalReason; message: string };

/** A refused work token. `code` on the bus: `WORK_TOKEN_<REASON>`. */
export class WorkTokenError extends DmaError {
  readonly reason: TokenRefusalReason;
  constructor(reason: TokenRefusalReason, message: string) {
    super('INVALID_INPUT', message, { details: { reason } });
    this.reason = reason;
  }
  /** the TaskResult error code an agent answers with */
  get taskErrorCode(): string {
    return `WORK_TOKEN_${this.reason.toUpperCase()}`;
  }
}

/** A fresh signing secret: 32 random bytes, base64url (43 characters), to store per campaign. */
export function generateSecret(): string {
  return randomBytes(MIN_SECRET_BYTES).toString('base64url');
}

type Secret = string | Uint8Array;

/**
 * HMAC-SHA256 under one secret (RFC 2104): the signature of a string, as bytes or as
 * base64url.
 */
interface Signer {
  bytes(signed: string): Buffer;
  base64url(signed: string): string;
}

/** crypto.hash (Node 20.12+): a one-shot digest, no Hash object per call. */
const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

const SHA256_BLOCK = 64;

/**
 * The signer of a secret. HMAC is H((K ^ opad) || H((K ^ ipad) || m)) with K the key
 * zero-padded to the block: for a key of at most 64 bytes below 0x80 (the campaign secret
 * is 64 hex characters) K ^ ipad is an ASCII string, so the inner hash is one crypto.hash
 * of that string and the message, and the outer one a crypto.hash of a buffer holding
 * K ^ opad and the inner digest. Byte for byte the HMAC of createHmac (the tests compare
 * them), without a Hmac object per token (building 10,000 requests spent 22% of its CPU
 * in Hmac's construct/update/digest and 20% in the collector; the batch's CPU went from
 * 100 to 81 ms). Other keys, or a Node without crypto.hash, use createHmac.
 */
function signerOf(bytes: Uint8Array): Signer {
  if (oneShot !== undefined && bytes.byteLength <= SHA256_BLOCK && bytes.every((b) => b < 0x80)) {
    const hash = oneShot;
    let inner = '';
    const outer = Buffer.alloc(SHA256_BLOCK + 32);
    for (let i = 0; i < SHA256_BLOCK; i++) {
      const k = bytes[i] ?? 0;
      inner += String.fromCharCode(k ^ 0x36);
      outer[i] = k ^ 0x5c;
    }
    const digest = (signed: string) => {
      outer.set(hash('sha256', inner + signed, 'buffer') as unknown as Buffer, SHA256_BLOCK);
      return outer;
    };
    return {
      bytes: (signed) => hash('sha256', digest(signed), 'buffer') as unknown as Buffer,
      base64url: (signed) => hash('sha256', digest(signed), 'base64url'),
    };
  }
  const key = createSecretKey(bytes);
  const sign = (signed: string) => createHmac('sha256', key).update(signed).digest();
  return { bytes: sign, base64url: (signed) => sign(signed).toString('base64url') };
}

/** The signer of the secret last used (a runtime signs thousands of tokens with one). */
let lastKey: { secret: Secret; signer: Signer } | undefined;

function keyOf(secret: Secret): Signer {
  if (lastKey?.secret === secret) return lastKey.signer;
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES)
    throw new UsageError(
      `work token secret is ${bytes.byteLength} bytes, at least ${MIN_SECRET_BYTES} are needed`,
      { hint: 'use generateSecret()' },
    );
  // a copy: a Uint8Array may change after the call (only a string secret is remembered)
  const signer = signerOf(Uint8Array.from(bytes));
  if (typeof secret === 'string') lastKey = { secret, signer };
  return signer;
}

interface WireClaims {
  agt: string;
  tid: string;
  typ?: string;
  iat: number;
  exp: number;
}

function checkScope(what: string, value: string): void {
  if (value.length === 0 || value.length > MAX_SCOPE_LENGTH)
    throw new UsageError(`${what} must be 1–${MAX_SCOPE_LENGTH} characters`);
}

/**
 * Issue a token for one agent and one task (a correlation or event id), valid for
 * `ttlMs` (default 5 minutes, at most 1 hour) from `now`.
 */
export function issueToken(
  secret: Secret,
  scope: { agent: AgentName; task_id: string; type?: string; ttlMs?: number; now: Date },
): { work_token: string; expires_at: string } {
  const key = keyOf(secret);
  if (!(AGENTS as readonly string[]).includes(scope.agent))
    throw new UsageError(`unknown agent "${scope.agent}" (${AGENTS.join(', ')})`);
  checkScope('task_id', scope.task_id);
  if (scope.type !== undefined) checkScope('type', scope.type);
  const ttl = scope.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_MS)
    throw new UsageError(`token ttl ${ttl} ms is outside 1–${MAX_TOKEN_TTL_MS} ms`);
  const iat = scope.now.getTime();
  const exp = iat + ttl;
  const claims: WireClaims =
    scope.type === undefined
      ? { agt: scope.agent, tid: scope.task_id, iat, exp }
      : { agt: scope.agent, tid: scope.task_id, typ: scope.type, iat, exp };
  const signed = `${TOKEN_VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return {
    work_token: `${signed}.${key.base64url(signed)}`,
    expires_at: isoTime(exp),
  };
}

function parseClaims(encoded: string): WireClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const ok =
    typeof c.agt === 'string' &&
    typeof c.tid === 'string' &&
    (c.typ === undefined || typeof c.typ === 'string') &&
    Number.isSafeInteger(c.iat) &&
    Number.isSafeInteger(c.exp);
  return ok ? (c as unknown as WireClaims) : undefined;
}

const refuse = (reason: TokenRefusalReason, message: string): TokenVerification => ({
  ok: false,
  reason,
  message,
});

/**
 * Check a token for `agent` working on `task_id` (and `type`, when the token names one)
 * at `now`. The signature is checked first (constant time), then expiry, then scope.
 */
export function verifyToken(
  secret: Secret,
  token: string | null | undefined,
  expected: { agent: AgentName; task_id: string; type?: string; now: Date },
): TokenVerification {
  const key = keyOf(secret);
  if (token === undefined || token === null || token === '')
    return refuse('missing', 'work token missing');
  const m = TOKEN_SHAPE.exec(token);
  if (!m) return refuse('malformed', 'work token malformed');
  const [, encodedClaims, encodedSignature] = m as unknown as [string, string, string];
  const given = Buffer.from(encodedSignature, 'base64url');
  const wanted = key.bytes(`${TOKEN_VERSION}.${encodedClaims}`);
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, wanted))
    return refuse('forged', 'work token signature does not match');
  const claims = parseClaims(encodedClaims);
  if (!claims) return refuse('malformed', 'work token claims malformed');
  const now = expected.now.getTime();
  if (now >= claims.exp)
    return refuse('expired', `work token expired at ${new Date(claims.exp).toISOString()}`);
  if (claims.agt !== expected.agent)
    return refuse('wrong_agent', `work token is for agent ${claims.agt}, not ${expected.agent}`);
  if (claims.tid !== expected.task_id)
    return refuse('wrong_task', `work token is for task ${claims.tid}, not ${expected.task_id}`);
  if (claims.typ !== undefined && expected.type !== undefined && claims.typ !== expected.type)
    return refuse('wrong_type', `work token is for ${claims.typ} messages, not ${expected.type}`);
  return {
    ok: true,
    claims: {
      agent: claims.agt as AgentName,
      task_id: claims.tid,
      ...(claims.typ === undefined ? {} : { type: claims.typ }),
      issued_at: new Date(claims.iat).toISOString(),
      expires_at: new Date(claims.exp).toISOString(),
    },
  };
}

/** verifyToken that throws WorkTokenError on refusal and returns the claims. */
export function requireToken(
  secret: Secret,
  token: string | null | undefined,
  expected: { agent: AgentName; task_id: string; type?: string; now: Date },
): TokenClaims {
  const v = verifyToken(secret, token, expected);
  if (!v.ok) throw new WorkTokenError(v.reason, v.message);
  return v.claims;
}
