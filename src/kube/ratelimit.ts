// Client-side rate limiting of API requests as client-go's token bucket does it
// (flowcontrol.NewTokenBucketRateLimiter: --kube-api-qps tokens a second, up to
// --kube-api-burst at once, starting full). Requests wait their turn in order.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Milliseconds the caller must wait before its request; the token is taken now (a reservation). */
  reserve(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Resolves when the next request may go. */
  async wait(signal?: AbortSignal): Promise<void> {
    const ms = this.reserve();
    if (ms <= 0) return;
    await new Promise<void>((resolve, reject) => {
      if (!signal) {
        setTimeout(resolve, ms);
        return;
      }
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", abort);
        resolve();
      }, ms);
      const abort = () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", abort, { once: true });
    });
  }
}

/**
 * client-go's rule (rest.RESTClientFor): QPS 0 means 5 and burst 0 means 10; a negative
 * QPS turns the limiter off.
 */
export function rateLimiter(qps = 50, burst = 300): TokenBucket | undefined {
  const q = qps === 0 ? 5 : qps;
  const b = burst === 0 ? 10 : burst;
  if (!(q > 0)) return undefined;
  return new TokenBucket(q, Math.max(b, 1));
}
