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
    // dma audit examples/npc-broken.json -o /nonexistent/x, dma entity export -o /dev/full,
    // dma entity export --output '' (EISDIR), --output /proc/self/status (EINVAL), a symlink
    // loop (ELOOP).
    // The output sink of issue 12 (engineer io) turns these into exit 3 with the reason.
    id: 'issue-12/-o-unusable-path',
    owner: 'io',
    matches: (r, f) =>
      (f.rule === 'unexpected' || f.rule === 'exit-code') &&
      r.exitCode === 1 &&
      writesTo(r.inv.argv) &&
      /E(NOENT|NOSPC|ISDIR|ACCES|NAMETOOLONG|NOTDIR|LOOP|ROFS|PERM)\b/.test(r.stderr),
  },
  {
    // `dma dungeon gen --output <a directory> --stream` saves the dungeon, then fails to write
    // the output (exit 1): a failed command that changed the campaign. The output target must
    // be checked (or written) before the save. Owners: dungeon (the command), io (the sink).
    id: 'issue-12/dungeon-gen-saves-before-output-fails',
    owner: 'dungeon, io',
    matches: (r, f) =>
      r.inv.command === 'dungeon.gen' &&
      writesTo(r.inv.argv) &&
      (f.rule === 'db-changed' || (f.rule === 'unexpected' && /E[A-Z]+:/.test(r.stderr))),
  },
  {
    // `dma contract validate bad/billion-laughs.yaml`: the YAML parser's "Excessive alias count
    // indicates a resource exhaustion attack" is reported as a bug (exit 1) instead of an
    // invalid file (exit 3). Owner: io (contract validate).
    id: 'issue-12/contract-validate-yaml-bomb',
    owner: 'io',
    matches: (r, f) =>
      r.inv.command === 'contract.validate' &&
      f.rule === 'unexpected' &&
      /alias count/.test(r.stderr),
  },
];

/**
 * `dma entity export -o "$DMA_DB"` (or -o onto a symlink to it) writes JSON over the open
 * campaign, exit 0 (issue 12, item 1; owner io): the lane's final `db check` then finds "not a
 * dma database". Recognised by that message only.
 */
export const KNOWN_DB_CHECK_ISSUE = {
  id: 'issue-12/-o-overwrites-the-campaign',
  owner: 'io',
  matches: (stderr: string) => /is not a dma database/.test(stderr),
};

export function knownIssue(r: CaseResult, f: Finding): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(r, f))?.id;
}
