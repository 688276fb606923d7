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

export const KNOWN_ISSUES: Known[] = [];

export function knownIssue(r: CaseResult, f: Finding): string | undefined {
  return KNOWN_ISSUES.find((k) => k.matches(r, f))?.id;
}
