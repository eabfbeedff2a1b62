// Create-or-update of generated objects (upstream's upsert: labels and spec replace
// the existing ones, status is left to the controllers) and the readiness wait.
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import type { ResourceType, RestTarget } from "../kube/rest.js";
import { knownResource } from "../kinds/resources.js";

// The kube modules (and through them node:https) load only when a command talks to
// the cluster, so `create ... --export` never pays for them.
const kube = () => Promise.all([import("../kube/client.js"), import("../kube/rest.js"), import("../kube/wait.js")]);

export type { RestTarget } from "../kube/rest.js";

export function resourceTypeOf(obj: KubeObject): ResourceType {
  const type = knownResource(obj.apiVersion, obj.kind);
  if (!type) throw new CliError(`unsupported kind ${obj.kind}`);
  return type;
}

/** Connects with the global flags (kubeconfig, context, impersonation). */
export async function restTarget(deps: Deps): Promise<RestTarget> {
  const [{ createKubeClient }] = await kube();
  return await createKubeClient(deps.globals);
}

async function apiError(err: unknown): Promise<Error> {
  if (err instanceof CliError) return err;
  const [{ kubeErrorMessage }, { KubeApiError }] = await kube();
  if (err instanceof KubeApiError) return new CliError(err.message);
  return new CliError(kubeErrorMessage(err));
}

export type UpsertResult = "created" | "updated" | "unchanged";

/**
 * Creates the object, or replaces labels and spec (and the data of Secrets, the
 * subjects/roleRef of RoleBindings) of the existing one.
 */
export async function upsert(
  target: RestTarget,
  obj: KubeObject,
): Promise<{ result: UpsertResult; object: KubeObject }> {
  // A create or replace that raced another writer (409), or whose answer was lost
  // (a reset connection, 502/503), is decided again from a fresh read: the object
  // ends up written once, by whichever write won, with this command's spec.
  const [, { KubeApiError, KubeConnectionError }] = await kube();
  const again = (err: unknown) =>
    err instanceof KubeApiError
      ? [409, 502, 503].includes(err.statusCode)
      : err instanceof KubeConnectionError && ["ECONNRESET", "ETRUNCATED", "EPIPE"].includes(err.code ?? "");
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsertOnce(target, obj);
    } catch (err) {
      if (attempt >= 3 || !again(err)) throw await apiError(err);
    }
  }
}

async function upsertOnce(target: RestTarget, obj: KubeObject): Promise<{ result: UpsertResult; object: KubeObject }> {
  const type = resourceTypeOf(obj);
  const ns = type.namespaced === false ? undefined : obj.metadata.namespace;
  const body = JSON.parse(JSON.stringify(obj)) as KubeObject;
  const [, { isNotFound, kubeRest, resourcePath }] = await kube();
  let existing: KubeObject | undefined;
  try {
    existing = await kubeRest<KubeObject>(target, "GET", resourcePath(type, ns, obj.metadata.name));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!existing) {
    const created = await kubeRest<KubeObject>(target, "POST", resourcePath(type, ns), { body });
    return { result: "created", object: created };
  }
  const next: KubeObject = { ...existing, metadata: { ...existing.metadata, labels: body.metadata.labels } };
  if (body.metadata.annotations) {
    next.metadata.annotations = { ...(existing.metadata.annotations ?? {}), ...body.metadata.annotations };
  }
  if (obj.kind === "Secret") {
    delete next.data;
    next.stringData = body.stringData;
    if (body.type) next.type = body.type;
  } else if (obj.kind === "RoleBinding") {
    if (JSON.stringify(existing.roleRef) !== JSON.stringify(body.roleRef)) {
      // roleRef is immutable: recreate the binding as upstream does.
      await kubeRest(target, "DELETE", resourcePath(type, ns, obj.metadata.name));
      const created = await kubeRest<KubeObject>(target, "POST", resourcePath(type, ns), { body });
      return { result: "updated", object: created };
    }
    next.subjects = body.subjects;
  } else if (body.spec !== undefined) {
    next.spec = body.spec;
  }
  delete (next.metadata as unknown as Record<string, unknown>).managedFields;
  const updated = await kubeRest<KubeObject>(target, "PUT", resourcePath(type, ns, obj.metadata.name), {
    body: next,
  });
  return { result: "updated", object: updated };
}

/** Waits for Ready=True at the latest generation; Ready=False fails with its message. */
export async function waitReady(target: RestTarget, obj: KubeObject, timeoutMs: number): Promise<KubeObject> {
  const type = resourceTypeOf(obj);
  const [, , { WaitTimeoutError, waitForReady }] = await kube();
  try {
    return (await waitForReady(target, type, obj.metadata.namespace ?? "", obj.metadata.name, {
      timeoutMs,
    })) as unknown as KubeObject;
  } catch (err) {
    if (err instanceof WaitTimeoutError) {
      throw new CliError(
        `timeout waiting for ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name} to become ready: ${err.message.replace(/^timeout waiting for [^:]*:?\s*/, "") || "no status reported"}`,
      );
    }
    if (err instanceof CliError) {
      const ready = (err as { readyMessage?: string }).readyMessage;
      if (ready !== undefined) throw new CliError(ready);
      throw err;
    }
    throw await apiError(err);
  }
}
