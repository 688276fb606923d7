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
 * A resolver for one kind of name: input (any case, spaces or underscores for hyphens)
 * → canonical name, or a UsageError `unknown <kind> "<input>" — did you mean "<x>"?`.
 * The lookup map is built once, so resolving costs one Map probe on the hot path.
 */
export function createResolver<T extends string>(
  kind: string,
  names: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): (input: string) => T {
  const map = new Map<string, T>();
  for (const [alias, target] of Object.entries(aliases)) map.set(alias, target);
  for (const n of names) map.set(n, n);
  const candidates = [...names, ...Object.keys(aliases)];
  const plurals: Record<string, string> = {
    'class or group': 'classes and groups',
    class: 'classes',
    'save category': 'save categories',
  };
  const plural = plurals[kind] ?? `${kind}s`;
  return (input: string): T => {
    const hit = map.get(input) ?? map.get(normaliseName(input));
    if (hit !== undefined) return hit;
    const key = normaliseName(input);
    throw new UsageError(`unknown ${kind} "${input}"${didYouMean(key, candidates)}`, {
      hint: `known ${plural}: ${names.join(', ')}`,
    });
  };
}

/** A UsageError unless `level` is an integer in [min, max]. */
export function checkLevel(level: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new UsageError(`level ${level} is outside ${what} (levels ${min}-${max})`);
  }
}
