/**
 * The fast-lane files carry the compiled contract validators one file each
 * (dist/fast/cv/<v>.cjs, scripts/build.mjs), required when a bundle first reads the table
 * at that key. Each file must be the validator of the generated module under its key: the
 * same verdict and the same first error on golden messages and on values broken a few ways.
 * Needs `npm run build` (npm test builds first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractValidators } from '../../src/generated/contract-validators.ts';
import { repoRoot } from '../helpers/dma.ts';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

const require = createRequire(import.meta.url);
const source = contractValidators as unknown as Record<string, Validator>;
const generated = readFileSync(
  join(repoRoot, 'src', 'generated', 'contract-validators.ts'),
  'utf8',
);
/** key → the generated module's export name (v0, v1, …), as its table lists them */
const exportNames = new Map(
  [...generated.matchAll(/"([^"\\]+)": (v\d+)/g)].map((m) => [m[1]!, m[2]!] as const),
);
const built = (key: string): Validator =>
  (
    require(join(repoRoot, 'dist', 'fast', 'cv', `${exportNames.get(key)}.cjs`)) as {
      default: Validator;
    }
  ).default;

const goldenDir = join(repoRoot, 'golden', 'messages');
const golden = [goldenDir, join(goldenDir, 'v1')].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>),
);

/** The value, and copies with one top-level field removed, nulled or made a string. */
function* variants(value: unknown): Generator<unknown> {
  yield value;
  yield null;
  yield [];
  yield 'text';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  yield { ...value, unknown_field: 1 };
  for (const key of Object.keys(value)) {
    const { [key]: _gone, ...rest } = value as Record<string, unknown>;
    yield rest;
    yield { ...value, [key]: null };
    yield { ...value, [key]: 'x' };
  }
}

function verdict(v: Validator, data: unknown): { ok: boolean; errors: unknown } {
  const copy: unknown = data === undefined ? data : JSON.parse(JSON.stringify(data));
  const ok = v(copy);
  return { ok, errors: ok ? null : JSON.parse(JSON.stringify(v.errors ?? null)) };
}

describe('fast-lane contract validators (dist/fast/cv)', () => {
  it('has one file for every validator of the generated table', () => {
    expect([...exportNames.keys()].sort()).toEqual(Object.keys(source).sort());
    for (const key of exportNames.keys()) expect(typeof built(key)).toBe('function');
  });

  it('gives the verdicts and errors of the generated module', () => {
    let compared = 0;
    const check = (key: string, data: unknown) => {
      for (const value of variants(data)) {
        expect(verdict(built(key), value), `${key}: ${JSON.stringify(value)}`).toEqual(
          verdict(source[key]!, value),
        );
        compared++;
      }
    };
    for (const message of golden) {
      check('envelope', message);
      const payload = message['payload'] as Record<string, unknown> | undefined;
      const kind = message['kind'] === 'request' ? 'request' : 'result';
      const key = `${kind}:${String(message['type'])}`;
      const body = kind === 'result' ? (payload?.['result'] ?? payload) : payload;
      if (key in source) check(key, body);
      if (payload?.['error'] !== undefined) check('task_error', payload['error']);
    }
    for (const key of Object.keys(source)) check(key, {});
    expect(compared).toBeGreaterThan(500);
  });

  it('leaves the validators out of the command files', () => {
    const bundle = readFileSync(join(repoRoot, 'dist', 'fast', '_dungeon-gen-saving.cjs'), 'utf8');
    expect(bundle).toContain(`require("./cv/${exportNames.get('envelope')}.cjs")`);
    expect(bundle).not.toMatch(/function validate\d+\(/);
  });
});
