// Bounded retries with exponential backoff for provider API calls: 5xx responses and
// connection errors are retried; 4xx are not (they need the user to act).

export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  attempts?: number;
  /** First delay; doubles each time (default 500ms). */
  baseDelayMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry. */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function isRetryable(status: number | undefined, err: unknown): boolean {
  if (status !== undefined) return status >= 500 || status === 429;
  const code = (err as { code?: string; cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
  return ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET"].includes(String(code));
}

export async function withRetry<T>(
  fn: () => Promise<T>,
  statusOf: (err: unknown) => number | undefined,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  const sleep = opts.sleep ?? defaultSleep;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryable(statusOf(err), err)) throw err;
      const delay = base * 2 ** (i - 1);
      opts.onRetry?.(i, delay, err);
      await sleep(delay);
    }
  }
}
