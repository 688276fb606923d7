import { describe, expect, it } from 'vitest';
import { proseDisagreements, statedNumbers } from '../../src/llm/prose-check.ts';

const thac0Fighter6 = {
  question: 'Why does `dma thac0 fighter 6` give 15?',
  derivation: {
    result: 15,
    steps: [
      { description: 'Looked up the thac0 table at warrior, level 6', source: 'PHB Table 53' },
    ],
  },
};

describe('statedNumbers', () => {
  it('reads digits, number words, compounds and ordinals', () => {
    expect(statedNumbers('THAC0 15 at 6th level (PHB Table 53)')).toEqual([0, 15, 6, 53]);
    expect(statedNumbers('sixteen, twenty-one and the sixth row').sort((a, b) => a - b)).toEqual([
      6, 16, 21,
    ]);
    expect(statedNumbers('no one rolls 18/76')).toEqual([18, 76]);
  });
});

describe('proseDisagreements', () => {
  it('accepts prose that uses only the derivation’s numbers and states the result', () => {
    expect(
      proseDisagreements('A sixth-level fighter reads PHB Table 53: THAC0 15.', thac0Fighter6),
    ).toEqual([]);
  });

  it('catches a wrong number, in digits or in words', () => {
    const [p] = proseDisagreements(
      'THAC0 16 (PHB Table 53); the derivation says 15.',
      thac0Fighter6,
    );
    expect(p).toMatch(/states 16, which is not among the derivation's numbers \(0, 6, 15, 53\)/);
    expect(proseDisagreements('THAC0 sixteen, 15 by the table', thac0Fighter6)[0]).toMatch(
      /states 16/,
    );
  });

  it('requires the result verbatim, in digits', () => {
    expect(proseDisagreements('A warrior of level 6: PHB Table 53.', thac0Fighter6)).toEqual([
      expect.stringMatching(/does not state the derived result as it is: 15 \(missing 15\)/),
    ]);
    expect(proseDisagreements('THAC0 fifteen', thac0Fighter6)).toHaveLength(1);
  });

  it('an object result: every number and word of it', () => {
    const input = {
      derivation: { result: { paralyzation: 10, spell: 12, class: 'cleric' }, steps: [] },
    };
    expect(proseDisagreements('A cleric: 10 and 12.', input)).toEqual([]);
    expect(proseDisagreements('A priest: 10 and 12.', input)[0]).toMatch(/missing cleric/);
    expect(proseDisagreements('A cleric: 10.', input)[0]).toMatch(/missing 12/);
  });

  it('a turning cell such as T or D* is a word of the result', () => {
    const input = { derivation: { result: 'D*', steps: [{ description: 'column 9' }] } };
    expect(proseDisagreements('At column 9 the cell is D*.', input)).toEqual([]);
    expect(proseDisagreements('At column 9 the cell is D.', input)).toHaveLength(1);
  });
});
