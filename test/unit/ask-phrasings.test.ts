import { describe, expect, it } from 'vitest';
import { CONFIDENCE_THRESHOLD, classifyIntent } from '../../src/agents/intent.ts';
import { intentToRequest } from '../../src/agents/intent-request.ts';
import { MESSAGE_TYPES } from '../../src/contracts/bus/registry.ts';
import { NONSENSE, REFUSED, UNCERTAIN, UNDERSTOOD } from '../fixtures/ask-phrasings.ts';

describe('dma ask: the phrasing suite (issue 14)', () => {
  it('has at least 200 phrasings', () => {
    expect(
      UNDERSTOOD.length + NONSENSE.length + UNCERTAIN.length + REFUSED.length,
    ).toBeGreaterThanOrEqual(200);
    expect(new Set(UNDERSTOOD.map(([t]) => t)).size).toBe(UNDERSTOOD.length);
  });

  it.each([...UNDERSTOOD])('%j → %s %j', (text, intent, slots) => {
    const r = classifyIntent(text);
    expect({ intent: r.intent, slots: r.slots }).toEqual({ intent, slots });
    expect(r.confidence).toBeGreaterThanOrEqual(CONFIDENCE_THRESHOLD);
  });

  it.each([...NONSENSE])('nonsense %j is below the threshold and is never planned', (text) => {
    const r = classifyIntent(text);
    expect(r.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
    expect(() => intentToRequest(r)).toThrow(expect.objectContaining({ exitCode: 3 }));
  });

  it.each([...UNCERTAIN])('%j is uncertain between %s and %s', (text, a, b) => {
    const r = classifyIntent(text);
    expect([r.intent, ...r.alternatives.map((x) => x.intent)].slice(0, 2).sort()).toEqual(
      [a, b].sort(),
    );
    expect(r.confidence).toBeLessThan(CONFIDENCE_THRESHOLD);
    let err: {
      exitCode?: number;
      details?: { interpretations?: { intent: string; command: string }[] };
    } = {};
    try {
      intentToRequest(r);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.exitCode).toBe(3);
    expect(
      err.details?.interpretations
        ?.map((i) => i.intent)
        .slice(0, 2)
        .sort(),
    ).toEqual([a, b].sort());
    expect(err.details?.interpretations?.[0]?.command).toMatch(/^dma /);
    // --yes takes the first reading
    expect(MESSAGE_TYPES[intentToRequest(r, { accept: true }).type]).toBeDefined();
  });

  it.each([...REFUSED])('%j is refused: %s', (text, message) => {
    expect(() => intentToRequest(classifyIntent(text), { accept: true })).toThrow(message);
  });

  it.each(UNDERSTOOD.filter(([, , slots]) => slots.other_race === undefined))(
    '%j becomes a valid bus request',
    (text) => {
      const { type, payload } = intentToRequest(classifyIntent(text));
      expect(MESSAGE_TYPES[type].request.safeParse(payload).success).toBe(true);
    },
  );
});
