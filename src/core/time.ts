/**
 * Timestamps as the bus writes them. A batch of 10,000 requests stamps every envelope with
 * the clock's ISO string and every work token with its expiry's; Date#toISOString costs
 * about a microsecond, so the strings of the last two seconds seen (the clock's and the
 * expiries', which alternate) are kept and only their milliseconds change.
 */

/** two seconds (epoch s) and their "YYYY-MM-DDTHH:MM:SS." prefixes, most recent first */
let secondA = Number.NaN;
let prefixA = '';
let secondB = Number.NaN;
let prefixB = '';

const withMillis = (prefix: string, ms: number, second: number) => {
  const milli = ms - second * 1000;
  return `${prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
};

/** A whole millisecond Date can hold (±8.64e15): the cached prefixes may serve it. */
const cacheable = (ms: number) => Number.isInteger(ms) && Math.abs(ms) <= 8.64e15;

/** `new Date(ms).toISOString()`, the same string (RangeError for an invalid time). */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  const whole = cacheable(ms);
  if (whole) {
    if (second === secondA) return withMillis(prefixA, ms, second);
    if (second === secondB) {
      const prefix = prefixB;
      secondB = secondA;
      prefixB = prefixA;
      secondA = second;
      prefixA = prefix;
      return withMillis(prefix, ms, second);
    }
  }
  const iso = new Date(ms).toISOString();
  if (whole) {
    secondB = secondA;
    prefixB = prefixA;
    secondA = second;
    prefixA = iso.slice(0, -4);
  }
  return iso;
}
