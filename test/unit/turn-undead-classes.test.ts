import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { turnUndead } from '../../src/rules/turn-undead.ts';

describe('turnUndead: who may turn (PHB chapter 3)', () => {
  it('clerics turn at their level, paladins two levels lower', () => {
    expect(turnUndead(5, 'ghoul', { class: 'cleric' }).entries[0]!.result).toBe(4);
    expect(turnUndead(5, 'ghoul').entries[0]!.result).toBe(4);
    expect(turnUndead(5, 'ghoul', { class: 'paladin' }).entries[0]!.result).toBe(10);
  });

  it.each(['druid', 'mage', 'fighter', 'thief', 'ranger', 'bard'])(
    'a %s cannot turn undead',
    (klass) => {
      expect(() => turnUndead(5, 'ghoul', { class: klass })).toThrow(UsageError);
      expect(() => turnUndead(5, 'ghoul', { class: klass })).toThrow(/cannot turn undead/);
    },
  );
});
