import { describe, expect, it } from 'vitest';
import { isRollStep, rollSchema } from '../../src/contracts/entities.ts';
import { createRng } from '../../src/core/rng.ts';
import { generateNpcs } from '../../src/generators/npc/index.ts';

describe('roll-log step check (hand-written for speed) agrees with rollSchema', () => {
  const steps = generateNpcs({}, 200, createRng(5)).flatMap((n) => n.roll_log);
  const base = { step: 'hit points', dice: '1d4', rolls: [3], result: 3 };
  const invalid: unknown[] = [
    null,
    [],
    'x',
    { ...base, extra: 1 },
    { ...base, step: '' },
    { ...base, step: 'x'.repeat(201) },
    { ...base, rolls: [1.5] },
    { ...base, rolls: 'nope' },
    { ...base, rolls: Array(101).fill(1) },
    { ...base, result: '' },
    { ...base, result: 2.5 },
    { ...base, dice: '' },
    { ...base, note: 'x'.repeat(501) },
    { step: 'no rolls', result: 1 },
  ];

  it('accepts every step the NPC generator writes', () => {
    expect(steps.length).toBeGreaterThan(1000);
    for (const s of steps) {
      expect(rollSchema.safeParse(s).success).toBe(true);
      expect(isRollStep(s)).toBe(true);
    }
  });

  it('rejects what rollSchema rejects', () => {
    for (const v of invalid) {
      expect(rollSchema.safeParse(v).success, JSON.stringify(v)?.slice(0, 60)).toBe(false);
      expect(isRollStep(v), JSON.stringify(v)?.slice(0, 60)).toBe(false);
    }
  });
});
