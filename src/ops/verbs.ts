// export, suspend, resume and delete: written once over the registry.
import { typedSpec } from "../kinds/serialization.js";
import { CliError, errorMessage } from "../errors.js";
import { resourceOf, type KindInfo } from "../kinds/registry.js";
import { ContentType, kubeRest, resourcePath, type KubeObject, type RestTarget } from "../kube/rest.js";
import { waitForReady } from "../kube/wait.js";
import type { Logger, Writable } from "../output/logger.js";
import { toYamlDocuments } from "../yaml/printer.js";
import { getObject, listKind, mapConcurrent, unique } from "./common.js";

export interface VerbDeps {
  client: RestTarget;
  logger: Logger;
  stdout: Writable;
}

// ---------------------------------------------------------------------------
// export

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** A clean manifest of a live object: apiVersion, kind, name, namespace, labels, annotations, spec. */
export function exportObject(k: KindInfo, obj: KubeObject): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: obj.metadata.name, namespace: obj.metadata.namespace };
  if (obj.metadata.labels && Object.keys(obj.metadata.labels).length > 0) metadata.labels = obj.metadata.labels;
  const { [LAST_APPLIED]: _lastApplied, ...annotations } = obj.metadata.annotations ?? {};
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const out: Record<string, unknown> = { apiVersion: `${k.group}/${k.version}`, kind: k.kind, metadata };
  // upstream prints through its API types: canonical durations, omitempty zero values dropped
  if (obj.spec !== undefined) out.spec = typedSpec(obj.spec);
  return out;
}

export interface ExportOptions {
  kind: KindInfo;
  names: string[];
  all: boolean;
  namespace: string;
  /** Sources: also export the Secret named by spec.secretRef (upstream's --with-credentials). */
  withCredentials?: boolean;
}

/** The Secret of a source's spec.secretRef as upstream exports it: name, namespace, type, data. */
async function exportCredentials(client: RestTarget, obj: KubeObject): Promise<Record<string, unknown> | undefined> {
  const name = (obj.spec as { secretRef?: { name?: string } } | undefined)?.secretRef?.name;
  if (!name) return undefined;
  const ns = obj.metadata.namespace ?? "";
  let secret: { type?: string; data?: Record<string, string> };
  try {
    secret = await kubeRest(client, "GET", resourcePath({ group: "", version: "v1", plural: "secrets" }, ns, name));
  } catch (err) {
    throw new CliError(`failed to retrieve secret ${name}, error: ${errorMessage(err)}`);
  }
  const out: Record<string, unknown> = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns } };
  if (secret.data && Object.keys(secret.data).length > 0) out.data = secret.data;
  if (secret.type) out.type = secret.type;
  return out;
}

export async function exportObjects(opts: ExportOptions, deps: VerbDeps): Promise<void> {
  if (!opts.all && opts.names.length < 1) throw new CliError("name is required");
  let objs: KubeObject[];
  if (opts.all) {
    objs = await listKind(deps.client, opts.kind, { namespace: opts.namespace });
    if (objs.length === 0) throw new CliError(`no objects found in ${opts.namespace} namespace`);
  } else {
    objs = [];
    for (const name of unique(opts.names)) objs.push(await getObject(deps.client, opts.kind, opts.namespace, name));
  }
  const docs: unknown[] = [];
  for (const o of objs) {
    docs.push(exportObject(opts.kind, o));
    if (opts.withCredentials) {
      const secret = await exportCredentials(deps.client, o);
      if (secret) docs.push(secret);
    }
  }
  deps.stdout.write(toYamlDocuments(docs));
}

// ---------------------------------------------------------------------------
// suspend / resume

export interface SuspendOptions {
  kind: KindInfo;
  names: string[];
  all: boolean;
  namespace: string;
}

async function patchSuspend(
  client: RestTarget,
  k: KindInfo,
  ns: string,
  name: string,
  suspend: boolean,
): Promise<KubeObject> {
  return await kubeRest<KubeObject>(client, "PATCH", resourcePath(resourceOf(k), ns, name), {
    body: { spec: { suspend: suspend ? true : null } },
    contentType: ContentType.MergePatch,
  });
}

/** The objects named (or all with --all); a name that matches nothing is reported and counted. */
async function selectObjects(
  deps: VerbDeps,
  opts: SuspendOptions,
  onMissing: (name: string) => void,
): Promise<KubeObject[]> {
  if (opts.all && opts.names.length === 0) {
    const objs = await listKind(deps.client, opts.kind, { namespace: opts.namespace });
    if (objs.length === 0) onMissing("");
    return objs;
  }
  const out: KubeObject[] = [];
  for (const name of unique(opts.names)) {
    const objs = await listKind(deps.client, opts.kind, { namespace: opts.namespace, name });
    if (objs.length === 0) onMissing(name);
    out.push(...objs);
  }
  return out;
}

export async function suspendObjects(opts: SuspendOptions, deps: VerbDeps): Promise<void> {
  const k = opts.kind;
  if (opts.names.length < 1 && !opts.all) throw new CliError(`${k.humanKind} name is required`);
  let failed = 0;
  const suspendAll = async (objs: KubeObject[]) => {
    for (const obj of objs) {
      const name = obj.metadata.name;
      deps.logger.action(`suspending ${k.humanKind} ${name} in ${opts.namespace} namespace`);
      try {
        await patchSuspend(deps.client, k, opts.namespace, name, true);
        deps.logger.success(`${k.humanKind} suspended`);
      } catch (err) {
        failed++;
        deps.logger.failure(`failed suspending ${k.kind} ${name} in ${opts.namespace} namespace: ${errorMessage(err)}`);
      }
    }
  };
  if (opts.all && opts.names.length === 0) {
    const objs = await listKind(deps.client, k, { namespace: opts.namespace });
    if (objs.length === 0) throw new CliError(`no ${k.kind} objects found in ${opts.namespace} namespace`);
    await suspendAll(objs);
  } else {
    // One name at a time, like upstream: a missing name is reported and the others still run.
    for (const name of unique(opts.names)) {
      const objs = await listKind(deps.client, k, { namespace: opts.namespace, name });
      if (objs.length === 0) {
        failed++;
        deps.logger.failure(`${k.kind} ${name} not found in ${opts.namespace} namespace`);
        continue;
      }
      await suspendAll(objs);
    }
  }
  if (failed > 0) throw new CliError("", 1);
}

export interface ResumeOptions extends SuspendOptions {
  /** undefined: wait when exactly one name was given (upstream's default). */
  wait?: boolean | undefined;
  timeoutMs: number;
}

export async function resumeObjects(opts: ResumeOptions, deps: VerbDeps): Promise<void> {
  const k = opts.kind;
  if (opts.names.length < 1 && !opts.all) throw new CliError(`${k.humanKind} name is required`);
  const shouldWait = opts.wait ?? unique(opts.names).length === 1;
  let failed = 0;
  const objs = await selectObjects(deps, opts, (name) => {
    failed++;
    if (name) deps.logger.failure(`${k.kind} ${name} not found in ${opts.namespace} namespace`);
    else deps.logger.failure(`no ${k.kind} objects found in ${opts.namespace} namespace`);
  });
  const resumed: KubeObject[] = [];
  for (const obj of objs) {
    deps.logger.action(`resuming ${k.humanKind} ${obj.metadata.name} in ${opts.namespace} namespace`);
    try {
      resumed.push(await patchSuspend(deps.client, k, opts.namespace, obj.metadata.name, false));
      deps.logger.success(`${k.humanKind} resumed`);
    } catch (err) {
      failed++;
      deps.logger.failure(
        `failed resuming ${k.kind} ${obj.metadata.name} in ${opts.namespace} namespace: ${errorMessage(err)}`,
      );
    }
  }
  if (shouldWait && resumed.length > 0) {
    const results = await Promise.all(
      resumed.map(async (obj) => {
        deps.logger.waiting(`waiting for ${k.kind} reconciliation`);
        if (k.staticStatus || k.isStaticObject?.(obj)) return { obj, err: undefined as unknown };
        try {
          const ready = await waitForReady(deps.client, resourceOf(k), opts.namespace, obj.metadata.name, {
            timeoutMs: opts.timeoutMs,
          });
          return { obj: ready, err: undefined as unknown };
        } catch (err) {
          return { obj, err };
        }
      }),
    );
    results.sort((a, b) =>
      a.obj.metadata.name < b.obj.metadata.name ? -1 : a.obj.metadata.name > b.obj.metadata.name ? 1 : 0,
    );
    for (const r of results) {
      if (r.err) {
        failed++;
        deps.logger.failure(errorMessage(r.err));
        continue;
      }
      deps.logger.success(`${k.kind} ${r.obj.metadata.name} reconciliation completed`);
      deps.logger.success(k.successMessage(r.obj));
    }
  }
  if (failed > 0) throw new CliError("", 1);
}

// ---------------------------------------------------------------------------
// delete

export interface DeleteOptions {
  kind: KindInfo;
  name?: string | undefined;
  namespace: string;
  silent: boolean;
}

export interface Confirm {
  (question: string): Promise<boolean>;
}

export async function deleteObject(opts: DeleteOptions, deps: VerbDeps & { confirm: Confirm }): Promise<void> {
  const k = opts.kind;
  if (!opts.name) throw new CliError(`${k.humanKind} name is required`);
  await getObject(deps.client, k, opts.namespace, opts.name);
  if (!opts.silent) {
    const ok = await deps.confirm(`Are you sure you want to delete this ${k.humanKind}`);
    if (!ok) throw new CliError("aborting");
  }
  deps.logger.action(`deleting ${k.humanKind} ${opts.name} in ${opts.namespace} namespace`);
  await kubeRest(deps.client, "DELETE", resourcePath(resourceOf(k), opts.namespace, opts.name));
  deps.logger.success(`${k.humanKind} deleted`);
}

/**
 * A y/N confirmation like promptui's IsConfirm: the question on stderr, one line
 * read from stdin; anything but y/yes (or end of input) declines.
 */
export function stdinConfirm(stdin: NodeJS.ReadableStream, stderr: Writable): Confirm {
  return (question) =>
    new Promise<boolean>((resolve) => {
      stderr.write(`? ${question}? [y/N] `);
      let buf = "";
      const done = (answer: boolean) => {
        stdin.removeListener("data", onData);
        stdin.removeListener("end", onEnd);
        stdin.removeListener("error", onEnd);
        stdin.pause();
        stderr.write("\n");
        resolve(answer);
      };
      const onData = (chunk: Buffer | string) => {
        buf += chunk.toString();
        const i = buf.indexOf("\n");
        if (i >= 0) done(/^\s*(y|yes)\s*$/i.test(buf.slice(0, i)));
      };
      const onEnd = () => done(/^\s*(y|yes)\s*$/i.test(buf));
      stdin.on("data", onData);
      stdin.on("end", onEnd);
      stdin.on("error", onEnd);
      stdin.resume();
    });
}

/** Runs many independent operations with bounded concurrency (used by --all). */
export { mapConcurrent };
