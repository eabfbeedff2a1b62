// `flux migrate` (cluster mode): every object of the Flux CRDs (label
// app.kubernetes.io/part-of=flux) rewritten at its CRD's storage version, then the CRD's
// status.storedVersions left with that version only, so the next Flux minor can drop the
// old ones. As upstream flux v2.9.5 (cmd/flux/migrate.go ClusterMigrator): an object
// whose managed fields name another apiVersion gets them replaced by a JSON patch
// (fluxcd/pkg/ssa PatchMigrateToVersion), any other one an empty merge patch; a conflict
// starts the CRD's objects over (client-go's retry.DefaultRetry: 5 tries).
import {
  isConflict,
  isNotFound,
  kubeRest,
  listAll,
  ContentType,
  type KubeObject,
  type RestTarget,
} from "../kube/rest.js";
import type { Logger } from "../output/logger.js";

interface CrdVersion {
  name: string;
  storage?: boolean;
}

interface Crd extends KubeObject {
  spec: { group: string; names: { plural: string; kind: string; listKind?: string }; versions: CrdVersion[] };
  status?: { storedVersions?: string[] };
}

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const FLUX_LABEL = "app.kubernetes.io/part-of=flux";
/** client-go's retry.DefaultRetry: 5 steps, 10ms doubling with jitter. */
const CONFLICT_DELAYS = [10, 20, 40, 80];

export class ClusterMigrationError extends Error {}

export async function migrateCluster(client: RestTarget, logger: Logger): Promise<void> {
  let crds;
  try {
    crds = await listAll<Crd>(client, CRDS, { labelSelector: FLUX_LABEL });
  } catch (err) {
    throw new ClusterMigrationError(`failed to list CRDs: ${(err as Error).message}`, { cause: err });
  }
  for (const crd of crds.items) await migrateCrd(client, crd.metadata.name, logger);
}

async function migrateCrd(client: RestTarget, name: string, logger: Logger): Promise<void> {
  let crd: Crd;
  try {
    crd = await kubeRest<Crd>(client, "GET", `${CRDS}/${encodeURIComponent(name)}`);
  } catch (err) {
    throw new ClusterMigrationError(`failed to get CRD ${name}: ${(err as Error).message}`, { cause: err });
  }
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  if (!storage) throw new ClusterMigrationError(`no storage version found for CRD ${name}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await migrateObjects(client, crd, storage, logger);
      break;
    } catch (err) {
      if (!isConflict(err) || attempt >= CONFLICT_DELAYS.length) {
        throw new ClusterMigrationError(`failed to migrate resources for CRD ${name}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      await new Promise((r) => setTimeout(r, CONFLICT_DELAYS[attempt]));
    }
  }
  const stored = crd.status?.storedVersions ?? [];
  if (stored.length > 1 || stored[0] !== storage) {
    try {
      await kubeRest(client, "PUT", `${CRDS}/${encodeURIComponent(name)}/status`, {
        body: { ...crd, status: { ...crd.status, storedVersions: [storage] } },
      });
    } catch (err) {
      throw new ClusterMigrationError(`failed to update CRD ${name} status: ${(err as Error).message}`, {
        cause: err,
      });
    }
    logger.success(`${name} migrated to storage version ${storage}`);
  }
}

async function migrateObjects(client: RestTarget, crd: Crd, version: string, logger: Logger): Promise<void> {
  const { group, names } = crd.spec;
  const apiVersion = `${group}/${version}`;
  const type = `/apis/${group}/${version}`;
  let list;
  try {
    list = await listAll(client, `${type}/${names.plural}`);
  } catch (err) {
    if (isConflict(err)) throw err;
    throw new Error(`failed to list resources for CRD ${crd.metadata.name}: ${(err as Error).message}`, { cause: err });
  }
  for (const item of list.items) {
    const { namespace, name } = item.metadata;
    const kind = names.kind;
    const path = `${type}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${names.plural}/${encodeURIComponent(name)}`;
    const managed = (item.metadata.managedFields ?? []) as { apiVersion?: string }[];
    const stale = managed.some((e) => e.apiVersion !== apiVersion);
    try {
      if (stale) {
        // the managed fields now name the storage version, so server-side apply keeps its owners
        const patch = [
          { op: "replace", path: "/metadata/managedFields", value: managed.map((e) => ({ ...e, apiVersion })) },
        ];
        await kubeRest(client, "PATCH", path, { body: patch, contentType: ContentType.JsonPatch });
      } else {
        await kubeRest(client, "PATCH", path, { body: {}, contentType: ContentType.MergePatch });
      }
    } catch (err) {
      if (isConflict(err)) throw err;
      if (!isNotFound(err)) {
        throw new Error(
          ` ${kind}/${namespace ?? ""}/${name} failed to migrate${stale ? " managed fields" : ""}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    logger.success(`${kind}/${namespace ?? ""}/${name} migrated to version ${version}`);
  }
}
