import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/core/time.ts';

describe('isoTime', () => {
  it('is Date#toISOString, whatever order the times come in', () => {
    const times = [
      0, 1, 9, 10, 99, 100, 999, 1000, -1, -999, -1000, -1001, 1_765_000_000_000, 1_765_000_000_005,
      1_765_000_000_050, 1_765_000_300_007, 1_765_000_000_999, 1_765_000_001_000, 8.64e15, -8.64e15,
      -62_198_755_200_000, 253_402_300_800_000,
    ];
    // each time repeated, and a clock's time alternating with its expiry (the bus's pattern)
    const seq = [
      ...times,
      ...times,
      ...times.filter((t) => Math.abs(t) < 8e15).flatMap((t) => [t, t + 300_000, t + 1]),
    ];
    for (const t of seq) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('truncates a fractional time as Date does, and refuses an invalid one', () => {
    isoTime(1_765_000_000_000);
    expect(isoTime(1_765_000_000_000.7)).toBe(new Date(1_765_000_000_000.7).toISOString());
    expect(isoTime(-0.5)).toBe(new Date(-0.5).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(isoTime(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(-8.64e15 - 1)).toThrow(RangeError);
  });
});
