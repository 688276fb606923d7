/** Resolving user-typed names (classes, races, categories, tables) with "did you mean". */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';

/** Lower-case, trim, and turn runs of spaces/underscores into one hyphen. */
export function normaliseName(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/**
 * The canonical name for `input` among `names` (plus `aliases`), or a UsageError
 * `unknown <kind> "<input>" — did you mean "<x>"?`.
 */
export function resolveName<T extends string>(
  kind: string,
  input: string,
  names: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  const key = normaliseName(input);
  const direct = names.find((n) => n === key);
  if (direct !== undefined) return direct;
  const alias = aliases[key];
  if (alias !== undefined) return alias;
  const candidates = [...names, ...Object.keys(aliases)];
  throw new UsageError(`unknown ${kind} "${input}"${didYouMean(key, candidates)}`, {
    hint: `known ${kind === 'class or group' ? 'classes and groups' : `${kind}s`}: ${names.join(', ')}`,
  });
}

/** A UsageError unless `level` is an integer in [min, max]. */
export function checkLevel(level: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new UsageError(`level ${level} is outside ${what} (levels ${min}-${max})`);
  }
}
