/**
 * A slot rule's gate (src/agents/intent/slots.ts) lets a request skip the rule only when the
 * rule's pattern cannot match it: over every phrasing of the classifier's fixtures (and
 * each upper-cased), whenever a gated pattern matches, one of its gate words is in the
 * lower-cased request. Every gated rule must match somewhere here, so none goes untested.
 */
import { describe, expect, it } from 'vitest';
import { normaliseRequest } from '../../src/agents/intent/scoring.ts';
import { SLOT_RULES } from '../../src/agents/intent/slots.ts';
import { NONSENSE, REFUSED, UNCERTAIN, UNDERSTOOD } from '../fixtures/ask-phrasings.ts';

/** Requests that reach each gated rule, beside the fixtures. */
const MORE = [
  'roll 2D6+1 for damage',
  'roll d% on the table',
  'roll a twenty-sided die',
  'roll percentile dice',
  'roll for initiative',
  'a dungeon with seed 42',
  'an NPC called "Old Tom"',
  'an NPC named Red Wizard of Thay',
  'a fighter named Bruenor',
  'how many levels is 35,000 XP for a thief',
  'a fighter with 2,500 experience points',
  'to hit AC -2 with a 4+4 HD monster',
  'what is a fighter 5 thac0 against armour class 3',
  'a dungeon for a party of 4 3rd-level characters',
  'a crypt for 5th level adventurers',
  'a dungeon for average party level 6',
  'APL 3 cave',
  'a dungeon, level 3',
  'a 2nd-level crypt',
  'a 12-room dungeon',
  'a lawful good paladin',
  'a true neutral druid',
  'save vs poison for a dwarf',
  'cleric 7 save versus breath weapon',
  'paralyzation saving throws of a thief 4',
];

const requests = [
  ...UNDERSTOOD.map(([t]) => t),
  ...NONSENSE,
  ...UNCERTAIN.map(([t]) => t),
  ...REFUSED.map(([t]) => t),
  ...MORE,
].flatMap((t) => [normaliseRequest(t), normaliseRequest(t).toUpperCase()]);

describe('slot rule gates', () => {
  const gated = SLOT_RULES.filter((r) => r.gate);
  it('gate the rules that compile most and match least', () => {
    expect(gated.length).toBeGreaterThanOrEqual(20);
  });
  for (const rule of gated)
    it(`${rule.id}: matches only a request with one of ${JSON.stringify(rule.gate)}`, () => {
      let matched = 0;
      for (const text of requests) {
        if (!rule.pattern.exec(text)) continue;
        matched++;
        const lower = text.toLowerCase();
        expect(
          rule.gate!.some((w) => lower.includes(w)),
          text,
        ).toBe(true);
      }
      expect(matched, 'no request reaches this rule: add one to MORE').toBeGreaterThan(0);
    });
});
