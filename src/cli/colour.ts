/** Colour only on a TTY; off with NO_COLOR, TERM=dumb or --no-color; FORCE_COLOR forces it. */
export function colourEnabled(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
  noColorFlag: boolean,
): boolean {
  if (noColorFlag) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (force === '0' || force === 'false') return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

export const paint = (on: boolean, code: number, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text;
export const red = (on: boolean, t: string) => paint(on, 31, t);
export const yellow = (on: boolean, t: string) => paint(on, 33, t);
export const green = (on: boolean, t: string) => paint(on, 32, t);
export const dim = (on: boolean, t: string) => paint(on, 2, t);
