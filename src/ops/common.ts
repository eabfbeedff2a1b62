// Shared plumbing of the generic verbs: listing and reading objects of a registry
// kind with clear errors (missing CRD, not found, forbidden, unreachable).
import { CliError } from "../errors.js";
import { apiVersionOf, resourceOf, type KindInfo } from "../kinds/registry.js";
import { createKubeClient, type KubeClient } from "../kube/client.js";
import {
  isNotFound,
  KubeApiError,
  kubeRest,
  listStream,
  resourcePath,
  type KubeObject,
  type RestTarget,
} from "../kube/rest.js";
import type { Deps } from "../deps.js";

export type { KubeObject } from "../kube/rest.js";

/** What the verb engines need from a cluster connection. */
export type OpsClient = RestTarget & { namespace?: string };

export async function clientFor(deps: Deps): Promise<KubeClient> {
  return await createKubeClient(deps.globals);
}

/** The error for a kind whose CRD is not installed. */
export class NoMatchError extends CliError {
  constructor(readonly kindInfo: KindInfo) {
    super(
      `no matches for kind "${kindInfo.kind}" in version "${apiVersionOf(kindInfo)}": is Flux installed (flux check)?`,
    );
    this.name = "NoMatchError";
  }
}

/** Turns API errors of a list/get into NoMatchError / plain messages. */
function mapListError(k: KindInfo, err: unknown): never {
  if (err instanceof KubeApiError && err.statusCode === 404) throw new NoMatchError(k);
  throw err;
}

export interface ListOptions {
  /** Empty or undefined: all namespaces. */
  namespace?: string | undefined;
  name?: string | undefined;
  labelSelector?: string | undefined;
}

/**
 * Lists objects of a kind, streamed; each batch of items gets apiVersion/kind set and
 * goes to onPage (so a table keeps rows, not objects).
 */
export async function listKindPages(
  client: RestTarget,
  k: KindInfo,
  opts: ListOptions,
  onPage: (items: KubeObject[]) => void,
  /** A retried list starts over: drop what the failed attempt handed out. */
  onRestart?: () => void,
): Promise<void> {
  const query: Record<string, string | undefined> = {};
  if (opts.name) query.fieldSelector = `metadata.name=${opts.name}`;
  if (opts.labelSelector) query.labelSelector = opts.labelSelector;
  const apiVersion = apiVersionOf(k);
  try {
    await listStream(
      client,
      resourcePath(resourceOf(k), opts.namespace || undefined),
      query,
      (items) => {
        for (const o of items) {
          o.apiVersion ??= apiVersion;
          o.kind ??= k.kind;
        }
        onPage(items);
      },
      onRestart,
    );
  } catch (err) {
    mapListError(k, err);
  }
}

/** Lists objects of a kind; items get apiVersion/kind set. */
export async function listKind(client: RestTarget, k: KindInfo, opts: ListOptions): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  await listKindPages(
    client,
    k,
    opts,
    (items) => {
      for (const o of items) out.push(o);
    },
    () => (out.length = 0),
  );
  return out;
}

/** Reads one object; NotFound gets upstream-like wording, missing CRDs a clear hint. */
export async function getObject(client: RestTarget, k: KindInfo, namespace: string, name: string): Promise<KubeObject> {
  try {
    return await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(k), namespace, name));
  } catch (err) {
    if (isNotFound(err)) {
      // Distinguish a missing object from a missing CRD.
      const crdMissing = await kubeRest(client, "GET", resourcePath(resourceOf(k), namespace), {
        query: { limit: 1 },
      }).then(
        () => false,
        (e: unknown) => isNotFound(e),
      );
      if (crdMissing) throw new NoMatchError(k);
      // The API server's wording, as upstream prints it: <plural>.<group> "<name>" not found
      throw new CliError(`${k.plural}.${k.group} "${name}" not found`);
    }
    throw err;
  }
}

/** Like getObject but undefined when the object does not exist. */
export async function tryGetObject(
  client: RestTarget,
  k: KindInfo,
  namespace: string,
  name: string,
): Promise<KubeObject | undefined> {
  try {
    return await kubeRest<KubeObject>(client, "GET", resourcePath(resourceOf(k), namespace, name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Removes duplicates, keeping the first occurrence (upstream skips repeated names). */
export function unique(names: string[]): string[] {
  return [...new Set(names)];
}

export { mapConcurrent } from "../kube/rest.js";
