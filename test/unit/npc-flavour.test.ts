/**
 * NPC flavour (rules-data/npc-flavour.yaml): 1,000 rendered NPCs read as grammatical
 * English with the right pronouns; a batch deals its lists without repeats in each run of
 * 10; the lists are at least five times the size of the first version's.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { npcFlavourTable } from '../../src/data/npc-flavour.ts';
import { generateNpc, generateNpcs, type Npc } from '../../src/generators/npc/index.ts';

/** Sizes of the first version's tables (build, hair, eyes, feature, manner, trait, motivation, description). */
const FIRST_VERSION = {
  build: 8,
  hair: 9,
  eyes: 7,
  feature: 16,
  manner: 12,
  trait: 20,
  motivation: 12,
  description: 4,
};

const OTHER = { male: /\b(she|her|hers|herself)\b/i, female: /\b(he|him|his|himself)\b/i };

function prose(n: Npc): string[] {
  return [n.description, n.personality, n.appearance, n.motivation];
}

describe('flavour grammar over 1,000 NPCs', () => {
  const npcs = [
    ...generateNpcs({}, 700, createRng(31)),
    ...generateNpcs({ gender: 'female' }, 150, createRng(32)),
    ...generateNpcs({ gender: 'male', class: 'fighter/mage' }, 150, createRng(33)),
  ];

  it('renders 1,000 NPCs', () => expect(npcs).toHaveLength(1000));

  it('no placeholder is left, no "they" for one person, only the NPC’s own pronouns', () => {
    for (const n of npcs) {
      for (const t of prose(n)) {
        expect(t, t).not.toMatch(/[{}]/);
        expect(t, t).not.toMatch(/\b(they|them|their|theirs|themselves|themself)\b/i);
        expect(t, `${n.gender}: ${t}`).not.toMatch(OTHER[n.gender]);
      }
    }
  });

  it('the description is whole sentences: capitalised, ended, no fragments', () => {
    for (const n of npcs) {
      const d = n.description;
      expect(d, d).toMatch(/^[A-Z]/);
      expect(d, d).toMatch(/[.]$/);
      expect(d, d).not.toMatch(/first:| {2}|\.\.|,\.| ,| \.|\.[a-z]/);
      // every sentence starts with a capital letter
      for (const s of d.split(/(?<=\.) /)) expect(s, d).toMatch(/^[A-Z]/);
      // the NPC is named, and the pronoun matches the gender at least once
      expect(d).toContain(n.name);
      expect(d, d).toMatch(
        n.gender === 'male' ? /\b(he|him|his|himself)\b/i : /\b(she|her|herself)\b/i,
      );
    }
  });

  it('articles agree with the next word ("an elf", "a half-elf")', () => {
    for (const n of npcs) {
      for (const t of prose(n)) {
        expect(t, t).not.toMatch(/\b[Aa] [aeiou]/);
        expect(t, t).not.toMatch(/\b[Aa]n [b-df-gj-np-tv-z]/); // "an honest" is right
      }
    }
  });

  it('the verb after "he" or "she" agrees with one person', () => {
    for (const n of npcs) {
      expect(n.description, n.description).not.toMatch(/\b(he|she|He|She) (are|have|were|do)\b/);
    }
  });
});

describe('flavour decks', () => {
  it('within each run of 10 in a batch no trait, look, manner or motivation repeats', () => {
    const npcs = generateNpcs({}, 100, createRng(8));
    for (let run = 0; run < 10; run++) {
      const group = npcs.slice(run * 10, run * 10 + 10);
      const traits = group.flatMap((n) => n.traits);
      expect(new Set(traits).size).toBe(traits.length);
      for (const key of ['motivation', 'appearance', 'description'] as const) {
        const values = group.map((n) => n[key]);
        expect(new Set(values).size, key).toBe(values.length);
      }
      const manners = group.map((n) => n.personality.split('; ')[1]);
      expect(new Set(manners).size).toBe(manners.length);
    }
  });

  it('a lone NPC never repeats a trait of its own', () => {
    for (let seed = 0; seed < 200; seed++) {
      const n = generateNpc({}, createRng(seed));
      expect(new Set(n.traits).size).toBe(n.traits.length);
    }
  });

  it('every list is at least five times the first version’s, without duplicates', () => {
    for (const [name, first] of Object.entries(FIRST_VERSION)) {
      const list = npcFlavourTable.lists[name as keyof typeof npcFlavourTable.lists];
      expect(list.length, name).toBeGreaterThanOrEqual(first * 5);
      expect(new Set(list).size, name).toBe(list.length);
    }
  });
});
