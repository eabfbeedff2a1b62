// A value a test cannot go on without: missing means the test failed, with a message saying what was missing.
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`test expected ${what}, got ${String(value)}`);
  return value;
}
