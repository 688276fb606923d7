/**
 * Contract conformance: every example of every command in cli-contract.yaml is run
 * against the built binary, as written and with --json; the exit code must be one the
 * command declares, and JSON stdout must validate against the declared schema.
 * New commands join this test by being in the contract.
 */
import { describe, expect, it } from 'vitest';
import { commands, examples } from '../../src/generated/commands.ts';
import type { CommandId } from '../../src/generated/types.ts';
import { outputValidators } from '../../src/generated/output-validators.ts';
import { dma, scratchEnv, shellWords } from '../helpers/dma.ts';

const ids = Object.keys(examples) as CommandId[];

interface Compiled {
  (value: unknown): boolean;
  errors?: unknown[] | null;
}
const validators = outputValidators as unknown as Record<string, Compiled | undefined>;

describe('contract conformance', () => {
  it('every command has at least one example', () => {
    for (const id of ids) expect(examples[id].length, id).toBeGreaterThan(0);
  });

  for (const id of ids) {
    for (const ex of examples[id]) {
      if (ex.skip_conformance) continue;
      it(`${ex.command}`, async () => {
        const args = shellWords(ex.command).slice(1);
        const env = scratchEnv();
        for (const variant of [args, args.includes('--json') ? null : [...args, '--json']]) {
          if (!variant) continue;
          const r = await dma(variant, { env });
          expect(
            commands[id].exits,
            `${variant.join(' ')} exited ${r.exitCode}: ${r.stderr}`,
          ).toContain(r.exitCode);
          if (ex.exit !== undefined) expect(r.exitCode).toBe(ex.exit);
          expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
          const validate = validators[`${id}:${r.exitCode}`];
          if (r.exitCode === 0 && ex.stdout_format === 'ndjson') {
            for (const line of r.stdout.trim().split('\n'))
              expect(() => JSON.parse(line)).not.toThrow();
            continue;
          }
          if (r.exitCode === 0 && ex.stdout_format === 'svg') {
            expect(r.stdout.startsWith('<svg')).toBe(true);
            continue;
          }
          if (variant.includes('--json') && validate && r.stdout.trim()) {
            const valid = validate(JSON.parse(r.stdout));
            expect(valid, `${variant.join(' ')}: ${JSON.stringify(validate.errors)}`).toBe(true);
          }
          if (variant.includes('--json') && r.exitCode !== 0 && r.stderr.trim()) {
            expect(() => JSON.parse(r.stderr.trim().split('\n').pop()!)).not.toThrow();
          }
        }
      });
    }
  }
});
