/**
 * Findings of the fuzz suite that are real bugs in code another engineer owns, each with the
 * owner and the issue. A finding that matches one is reported as known instead of failing the
 * run; remove the entry when its fix lands (the suite then guards it).
 */
import type { CaseResult, Finding } from './harness.ts';

interface Known {
  id: string;
  owner: string;
  matches: (r: CaseResult, f: Finding) => boolean;
}

const writesTo = (argv: string[]) =>
  argv.some(
    (a, i) => a === '-o' || a === '--output' || a.startsWith('--output=') || argv[i - 1] === '-o',
  );

export const KNOWN_ISSUES: Known[] = [
  {
    // `-o` onto an unusable path is "unexpected error … this is a bug" (exit 1), not exit 3:
    // e.g. dma audit examples/npc-broken.json -o /nonexistent/x, dma entity export -o /dev/full.
    // The output sink of issue 12 (engineer io) turns these into exit 3 with the reason.
    id: 'issue-12/-o-unusable-path',
    owner: 'io',
    matches: (r, f) =>
      (f.rule === 'unexpected' || f.rule === 'exit-code') &&
      r.exitCode === 1 &&
      writesTo(r.inv.argv) &&
      /E(NOENT|NOSPC|ISDIR|ACCES|NAMETOOLONG|NOTDIR|LOOP|ROFS|PERM)\b/.test(r.stderr),
  },
];

export function knownIssue(r: CaseResult, f: Finding): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(r, f))?.id;
}
