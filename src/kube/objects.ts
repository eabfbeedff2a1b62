// Reads and creates that converge: a missing object is an answer, not an error, and
// an object someone else created first is reused. Engines that check before they act
// (bootstrap's steps, create) build on these instead of catching 404s and 409s.
import { isConflict, isNotFound, kubeRest, resourcePath, type KubeObject, type RestTarget } from "./rest.js";

type Resource = { group: string; version: string; plural: string };

export const SECRETS: Resource = { group: "", version: "v1", plural: "secrets" };
export const NAMESPACES: Resource = { group: "", version: "v1", plural: "namespaces" };

/** The object, or undefined when it does not exist. */
export async function getIfExists<T extends KubeObject = KubeObject>(
  client: RestTarget,
  type: Resource,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  try {
    return await kubeRest<T>(client, "GET", resourcePath(type, namespace, name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Creates the object; false when it already existed (created concurrently, say). */
export async function createIfAbsent(client: RestTarget, type: Resource, obj: KubeObject): Promise<boolean> {
  try {
    // Named (a KubeObject always is): a repeat of a create whose answer was lost answers 409, so it is retried like a read.
    await kubeRest(client, "POST", resourcePath(type, obj.metadata.namespace), {
      body: obj,
      namedCreate: true,
    });
    return true;
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
}
