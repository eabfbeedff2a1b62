// Bounded retries for provider API calls. 5xx answers and connection errors are
// retried with exponential backoff; rate limits (429, GitHub's 403 secondary and
// primary limits) wait as long as the server says (Retry-After, a reset time),
// unless that is longer than tsflux waits: then the call fails at once and the
// caller's message says when to try again. Other 4xx are not retried: they need
// the user to act.

export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  attempts?: number;
  /** First delay; doubles each time (default 500ms). */
  baseDelayMs?: number;
  /** The longest single wait a rate limit may ask for (default 60s); longer ones fail at once. */
  maxWaitMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry. */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

/** What a provider reads from a failed call. */
export interface Failure {
  status?: number | undefined;
  /** The server asked to wait this long before retrying (Retry-After or a rate-limit reset). */
  retryAfterMs?: number | undefined;
  /** A rate limit (429, or a 403 that says so): retried after retryAfterMs, never counted as a permission error. */
  rateLimited?: boolean;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const CONNECTION_ERRORS = ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"];

export function isRetryable(status: number | undefined, err: unknown): boolean {
  if (status !== undefined) return status >= 500 || status === 429;
  const e = err as { code?: string; cause?: { code?: string; cause?: { code?: string } } } | null | undefined;
  const code = e?.cause?.code ?? e?.cause?.cause?.code ?? e?.code;
  return CONNECTION_ERRORS.includes(String(code));
}

/** Seconds (or an HTTP date) in a Retry-After header, in milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A rate limit that asks for a longer wait than tsflux allows: the call fails with this. */
export class RateLimitWaitTooLong extends Error {
  constructor(
    readonly original: unknown,
    readonly waitMs: number,
  ) {
    super(`rate limited: the server asks to wait ${Math.ceil(waitMs / 1000)}s`);
    this.name = "RateLimitWaitTooLong";
  }
}

export async function withRetry<T>(
  fn: () => Promise<T>,
  classify: (err: unknown) => number | undefined | Failure,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  const maxWait = opts.maxWaitMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const c = classify(err);
      const f: Failure = typeof c === "number" || c === undefined ? { status: c } : c;
      const limited = f.rateLimited || f.status === 429;
      if (i >= attempts || !(limited || isRetryable(f.status, err))) throw err;
      const backoff = base * 2 ** (i - 1);
      // A rate limit without a stated wait still backs off, a little longer than a 5xx would.
      const delay = f.retryAfterMs ?? (limited ? Math.max(backoff, 1000) : backoff);
      if (delay > maxWait) throw new RateLimitWaitTooLong(err, delay);
      opts.onRetry?.(i, delay, err);
      await sleep(delay);
    }
  }
}

/** A provider request left unanswered for the whole timeout (--timeout); never retried. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
  ) {
    super(`${host} did not answer within ${Math.round(timeoutMs / 100) / 10}s`);
    this.name = "RequestTimeoutError";
  }
}

/** The RequestTimeoutError in an error's cause chain. */
export function timeoutOf(err: unknown): RequestTimeoutError | undefined {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof RequestTimeoutError) return e;
  }
  return undefined;
}

/** fetch, with each request (and its body) bounded by timeoutMs. */
export function fetchWithTimeout(timeoutMs: number | undefined): typeof fetch {
  if (!timeoutMs) return fetch;
  return async (input, init) => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timer]) : timer;
    try {
      return await fetch(input, { ...init, signal });
    } catch (err) {
      if (!timer.aborted) throw err;
      const url = new URL(input instanceof Request ? input.url : String(input));
      throw new RequestTimeoutError(url.host, timeoutMs);
    }
  };
}
