/** The variable part of a prompt: the invocation input, capped at 16 KB with a visible marker. */

export const CONTEXT_CAP_BYTES = 16 * 1024;

export interface CappedText {
  text: string;
  bytes: number;
  /** Size of the full text before capping. */
  originalBytes: number;
  truncated: boolean;
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Cut `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return buf.subarray(0, end).toString('utf8');
}

export function truncationMarker(shown: number, total: number): string {
  return `\n[truncated: the input was cut to ${shown} of ${total} bytes to fit the 16 KB context cap]`;
}

/**
 * Serialise `input` as JSON within `budgetBytes`: pretty when it fits, else compact, else
 * compact and cut, ending with a truncation marker (counted within the budget).
 */
export function capJson(input: unknown, budgetBytes: number): CappedText {
  const pretty = JSON.stringify(input, null, 2) ?? 'null';
  const originalBytes = byteLength(pretty);
  if (originalBytes <= budgetBytes)
    return { text: pretty, bytes: originalBytes, originalBytes, truncated: false };
  const compact = JSON.stringify(input) ?? 'null';
  if (byteLength(compact) <= budgetBytes)
    return { text: compact, bytes: byteLength(compact), originalBytes, truncated: false };
  const total = byteLength(compact);
  // The marker's length depends on the number it prints; reserve for the longest it can be.
  const reserve = byteLength(truncationMarker(total, total));
  const cut = cutToBytes(compact, budgetBytes - reserve);
  const text = cut + truncationMarker(byteLength(cut), total);
  return { text, bytes: byteLength(text), originalBytes: total, truncated: true };
}
