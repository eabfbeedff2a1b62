// `flux trigger receiver <name>`: a POST to a Receiver's webhook from outside the
// cluster, as notification-controller expects it: the path is /hook/ + sha256 of
// token+name+namespace, generic-hmac signs the payload with the token (X-Signature),
// generic-oidc sends a bearer token (from --oidc-token, the environment, or the
// GitHub/Forgejo Actions token endpoint). Transient failures (connection errors, 404,
// 408, 429, 500, 502, 503, 504) are retried --retries times, --retry-delay apart.
import { createHash, createHmac } from "node:crypto";
import type { Deps } from "../deps.js";
import { CliError, errorMessage } from "../errors.js";
import { loadKubeConfig, resolveNamespace } from "../kube/client.js";
import type { Logger } from "../output/logger.js";
import { canonicalDuration, parseDuration } from "../util/duration.js";
import { CLI_VERSION } from "../version.js";

export const RECEIVER_TYPES = ["generic", "generic-hmac", "generic-oidc"] as const;
export const OIDC_PROVIDERS = ["github", "forgejo"] as const;
/** notification-controller's default audience of generic-oidc Receivers. */
export const DEFAULT_OIDC_AUDIENCE = "notification-controller";
/** Where the OIDC token is read from when neither --oidc-provider nor --oidc-token is set. */
export const OIDC_TOKEN_ENV = "FLUX_TRIGGER_RECEIVER_OIDC_TOKEN";

export interface TriggerReceiverFlags {
  token: string;
  url: string;
  type: string;
  oidcProvider: string;
  oidcToken: string;
  oidcAudience: string;
  payload: string;
  retries: number;
  /** Go duration text. */
  retryDelay: string;
}

/** Upstream's validateTriggerReceiverArgs: the type, and which token flags go with it. */
export function validateTriggerReceiverFlags(f: TriggerReceiverFlags): void {
  if (!(RECEIVER_TYPES as readonly string[]).includes(f.type))
    throw new CliError(`invalid --type ${JSON.stringify(f.type)}, must be one of: ${RECEIVER_TYPES.join(", ")}`);
  if (f.type !== "generic-oidc") {
    if (!f.token) throw new CliError(`--token is required for --type=${f.type}`);
    if (f.oidcProvider || f.oidcToken || f.oidcAudience)
      throw new CliError("--oidc-provider, --oidc-token and --oidc-audience can only be set for --type=generic-oidc");
    return;
  }
  if (f.token)
    throw new CliError("--token must not be set for --type=generic-oidc, the Receiver of this type has no secret");
  if (f.oidcProvider && f.oidcToken) throw new CliError("--oidc-provider and --oidc-token are mutually exclusive");
  if (f.oidcProvider && !(OIDC_PROVIDERS as readonly string[]).includes(f.oidcProvider))
    throw new CliError(
      `invalid --oidc-provider ${JSON.stringify(f.oidcProvider)}, must be one of: ${OIDC_PROVIDERS.join(", ")}`,
    );
  if (f.oidcAudience && !f.oidcProvider)
    throw new CliError("--oidc-audience can only be set together with --oidc-provider");
}

/** notification-controller's Receiver.GetWebhookPath. */
export function receiverWebhookPath(token: string, name: string, namespace: string): string {
  return `/hook/${createHash("sha256")
    .update(token + name + namespace)
    .digest("hex")}`;
}

/** The status codes worth retrying (404: the path may not be registered yet). */
export function isRetryableStatus(code: number): boolean {
  return [404, 408, 429, 500, 502, 503, 504].includes(code);
}

/** fluxcd/pkg/auth actionsoidc.FetchToken: the Actions job's OIDC token for an audience. */
export async function fetchActionsToken(
  audience: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "";
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? "";
  if (!requestUrl || !requestToken)
    throw new CliError(
      "ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN must be set in the environment; ensure the Actions job has the 'id-token: write' permission",
    );
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch (err) {
    throw new CliError(`invalid ACTIONS_ID_TOKEN_REQUEST_URL: ${errorMessage(err)}`);
  }
  u.searchParams.set("audience", audience);
  let res: Response;
  try {
    res = await fetch(u, { headers: { Authorization: `bearer ${requestToken}` }, signal });
  } catch (err) {
    throw new CliError(`OIDC token request failed: ${errorMessage(err)}`);
  }
  const body = await res.text();
  if (res.status !== 200)
    throw new CliError(`OIDC token request failed with status ${res.status} ${res.statusText}: ${body.trim()}`);
  let value: unknown;
  try {
    value = (JSON.parse(body) as { value?: unknown }).value;
  } catch (err) {
    throw new CliError(`failed to decode OIDC token response: ${errorMessage(err)}`);
  }
  if (typeof value !== "string" || !value) throw new CliError("the OIDC token response did not contain a token");
  return value;
}

async function oidcToken(f: TriggerReceiverFlags, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string> {
  if (f.oidcProvider) return await fetchActionsToken(f.oidcAudience || DEFAULT_OIDC_AUDIENCE, env, signal);
  if (f.oidcToken) return f.oidcToken;
  const token = env[OIDC_TOKEN_ENV];
  if (!token)
    throw new CliError(
      `no OIDC token provided: set --oidc-provider, --oidc-token or the ${OIDC_TOKEN_ENV} environment variable`,
    );
  return token;
}

export interface TriggerReceiverOptions extends TriggerReceiverFlags {
  name: string;
  namespace: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Sends the webhook request; resolves when the Receiver answered 2xx. */
export async function triggerReceiver(opts: TriggerReceiverOptions, deps: { logger: Logger }): Promise<void> {
  if (!opts.url) throw new CliError("--url is required");
  validateTriggerReceiverFlags(opts);
  const env = opts.env ?? process.env;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  // generic-oidc Receivers have no secret: their path is salted with an empty token
  const pathToken = opts.type === "generic-oidc" ? "" : opts.token;
  const webhookUrl = opts.url.replace(/\/+$/, "") + receiverWebhookPath(pathToken, opts.name, opts.namespace);
  const payload = Buffer.from(opts.payload, "utf8");
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": `flux/v${CLI_VERSION}` };
  if (opts.type === "generic-hmac")
    headers["X-Signature"] = `sha256=${createHmac("sha256", opts.token).update(payload).digest("hex")}`;
  if (opts.type === "generic-oidc") headers.Authorization = `Bearer ${await oidcToken(opts, env, signal)}`;

  const send = async (): Promise<{ retryable: boolean; err?: CliError }> => {
    let res: Response;
    try {
      res = await fetch(webhookUrl, { method: "POST", headers, body: payload, signal });
    } catch (err) {
      if (signal.aborted) throw new CliError("context deadline exceeded");
      const cause = (err as { cause?: unknown }).cause;
      return { retryable: true, err: new CliError(`request to ${webhookUrl} failed: ${errorMessage(cause ?? err)}`) };
    }
    const body = (await res.text()).trim();
    if (res.status >= 200 && res.status < 300) return { retryable: false };
    const status = `${res.status} ${res.statusText}`.trim();
    return {
      retryable: isRetryableStatus(res.status),
      err: new CliError(`request to ${webhookUrl} failed with status ${status}${body ? `: ${body}` : ""}`),
    };
  };

  const delayMs = parseDuration(opts.retryDelay);
  deps.logger.action(`triggering Receiver ${opts.namespace}/${opts.name}`);
  for (let attempt = 0; ; attempt++) {
    const { retryable, err } = await send();
    if (!err) {
      deps.logger.success(`Receiver ${opts.namespace}/${opts.name} triggered`);
      return;
    }
    if (!retryable || attempt >= opts.retries) throw err;
    deps.logger.waiting(
      `${err.message}; retrying in ${canonicalDuration(opts.retryDelay)} (${attempt + 1}/${opts.retries})`,
    );
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CliError("context deadline exceeded"));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, delayMs);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

export interface TriggerReceiverCommandOptions extends TriggerReceiverFlags {
  /** The positional arguments (cobra.ExactArgs(1)). */
  args: string[];
}

export async function runTriggerReceiver(options: TriggerReceiverCommandOptions, deps: Deps): Promise<void> {
  if (options.args.length !== 1) throw new CliError(`accepts 1 arg(s), received ${options.args.length}`);
  const g = deps.globals;
  // No cluster access: the namespace is -n's, or the kubeconfig context's with --ns-follows-kube-context.
  const namespace =
    g.nsFollowsKubeContext && !g.namespaceSet ? resolveNamespace(await loadKubeConfig(g), g) : g.namespace;
  const {
    args: [name = ""],
    ...flags
  } = options;
  await triggerReceiver({ ...flags, name, namespace, timeoutMs: g.timeoutMs }, { logger: deps.logger });
}
