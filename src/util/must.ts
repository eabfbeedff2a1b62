/**
 * The value, or a thrown error naming what was missing. For values the code's own
 * logic guarantees (an index inside a bounds-checked loop, a capture group a matched
 * regular expression always sets): a miss is a programming error, not bad input.
 */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`internal error: ${what} is missing`);
  return value;
}
