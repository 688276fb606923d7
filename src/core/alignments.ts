/**
 * The one vocabulary of alignments (PHB Chapter 4) for every command that takes one: the
 * pc and npc sheets, `npc create --alignment`, factions, `dma ask`. Any of the spellings
 * below is accepted wherever an alignment is read — the nine codes (`LG`, `N`, …, any
 * case), the written-out names (`lawful good`, `Lawful Good`, `lawful-good`), and `neutral`
 * or `true neutral` for N — and `alignmentCode` turns each into its code.
 */
export const ALIGNMENT_CODES = ['LG', 'NG', 'CG', 'LN', 'N', 'CN', 'LE', 'NE', 'CE'] as const;
export type AlignmentCode = (typeof ALIGNMENT_CODES)[number];

/** The written-out names, as the PHB prints them (lower case). */
export const ALIGNMENT_NAMES: Readonly<Record<AlignmentCode, string>> = {
  LG: 'lawful good',
  NG: 'neutral good',
  CG: 'chaotic good',
  LN: 'lawful neutral',
  N: 'true neutral',
  CN: 'chaotic neutral',
  LE: 'lawful evil',
  NE: 'neutral evil',
  CE: 'chaotic evil',
};

const title = (s: string) => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());

function spellingsOf(code: AlignmentCode): string[] {
  const name = ALIGNMENT_NAMES[code];
  const names = code === 'N' ? [name, 'neutral', 'true-neutral', 'tn'] : [name];
  const out = new Set<string>([code, code.toLowerCase()]);
  for (const n of names) {
    for (const v of [n, n.replace(' ', '-')]) {
      out.add(v);
      out.add(title(v));
      out.add(v.toUpperCase());
    }
  }
  return [...out];
}

/** Every accepted spelling, code by code (for schemas: an enum, compiled without code). */
export const ALIGNMENT_SPELLINGS: readonly string[] = ALIGNMENT_CODES.flatMap(spellingsOf);

const BY_SPELLING = new Map<string, AlignmentCode>(
  ALIGNMENT_CODES.flatMap((c) => spellingsOf(c).map((s) => [s.toLowerCase(), c] as const)),
);

/** "LG", "lawful good", "Lawful-Good", "neutral", "true neutral" → the code; else undefined. */
export function alignmentCode(text: string): AlignmentCode | undefined {
  return (
    BY_SPELLING.get(
      text
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, ' '),
    ) ??
    BY_SPELLING.get(
      text
        .trim()
        .toLowerCase()
        .replace(/[\s_]+/g, '-'),
    )
  );
}

/** Aliases for a name resolver: every lower-case spelling → its code. */
export function alignmentAliases(): Record<string, AlignmentCode> {
  return Object.fromEntries(BY_SPELLING);
}
