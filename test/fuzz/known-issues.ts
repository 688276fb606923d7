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

/**
 * Empty since the output sink of issue 12 landed: `-o` onto an unusable path is exit 3, `-o`
 * never reaches the campaign database, a refused output target saves nothing, and a YAML
 * alias bomb is an invalid contract (exit 3). The suite now guards all four.
 */
export const KNOWN_ISSUES: Known[] = [];

export function knownIssue(r: CaseResult, f: Finding): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(r, f))?.id;
}
