import { expect } from 'vitest';

/** Await `fn`, expect it to throw an instance of `cls` (with a message matching `message`). */
export async function expectThrow<E extends Error>(
  fn: () => unknown,
  cls: new (...a: never[]) => E,
  message?: RegExp,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(cls);
    if (message) expect((err as Error).message).toMatch(message);
    return err as E;
  }
  throw new Error('expected a throw');
}
