// A small JSON-over-HTTPS client for the providers without a well-kept npm SDK (Gitea,
// Bitbucket Server): one request per attempt through withRetry (5xx, connection errors,
// 429 with Retry-After), errors as HttpError carrying the status, headers and parsed body
// for the provider to word. Nothing here knows a provider's paths or pagination.
import { redactUrls } from "../errors.js";
import {
  parseRetryAfter,
  RateLimitWaitTooLong,
  RequestTimeoutError,
  timeoutOf,
  withRetry,
  type Failure,
  type RetryOptions,
} from "./retry.js";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface RestResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RestClientOptions {
  /** Base URL the paths are relative to, e.g. https://gitea.com/api/v1. */
  baseUrl: string;
  /** Headers every request carries (authentication). */
  headers: Record<string, string>;
  retry?: RetryOptions | undefined;
  /** An attempt unanswered this long (status, headers and body) fails with RequestTimeoutError (--timeout), never retried. */
  timeoutMs?: number | undefined;
}

/** The HttpError behind a failure (also when a rate limit asked for too long a wait). */
export function httpErrorOf(err: unknown): HttpError | undefined {
  const e = err instanceof RateLimitWaitTooLong ? err.original : err;
  return e instanceof HttpError ? e : undefined;
}

/** The words for a failure without an HTTP answer; a timeout names the API and its bound. */
export function unansweredMessage(api: string, err: unknown): string {
  const timeout = timeoutOf(err);
  return timeout ? `the ${api} at ${timeout.message}` : (err as Error).message;
}

function failureOf(err: unknown): Failure {
  const e = httpErrorOf(err);
  if (!e) return {};
  if (e.status !== 429) return { status: e.status };
  return { status: 429, retryAfterMs: parseRetryAfter(e.headers.get("retry-after")), rateLimited: true };
}

export class RestClient {
  constructor(private readonly opts: RestClientOptions) {}

  async request<T>(
    method: string,
    path: string,
    opts: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<RestResponse<T>> {
    const url = new URL(this.opts.baseUrl.replace(/\/+$/, "") + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const timeoutMs = this.opts.timeoutMs;
    return withRetry(
      async () => {
        // One bound for the whole attempt: a server that sends headers and then stalls the body is caught too.
        const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
        let res: Response;
        let text: string;
        try {
          res = await fetch(url, {
            method,
            headers: {
              Accept: "application/json",
              ...(opts.body !== undefined ? { "Content-Type": "application/json" } : {}),
              ...this.opts.headers,
            },
            body: opts.body !== undefined ? JSON.stringify(opts.body) : null,
            signal: signal ?? null,
          });
          text = await res.text();
        } catch (err) {
          if (signal?.aborted && timeoutMs) throw new RequestTimeoutError(url.host, timeoutMs);
          throw err;
        }
        let body: unknown = text;
        if ((res.headers.get("content-type") ?? "").includes("json") && text) {
          try {
            body = JSON.parse(text);
          } catch {
            /* keep the text */
          }
        }
        if (!res.ok) throw new HttpError(res.status, body, res.headers, redactUrls(`${method} ${url.pathname}`));
        return { status: res.status, body: (text === "" ? undefined : body) as T, headers: res.headers };
      },
      failureOf,
      this.opts.retry,
    );
  }

  /** A GET whose 404 means "there is none": undefined then, any other failure thrown. */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return (await this.request<T>("GET", path)).body;
    } catch (err) {
      if (httpErrorOf(err)?.status === 404) return undefined;
      throw err;
    }
  }
}
