// Engine entries of the generic verbs over registry kinds (export, suspend, resume,
// delete, reconcile): connect to the cluster, then run the verb on the kind.
import type { Deps } from "../deps.js";
import type { KindInfo } from "../kinds/registry.js";
import { clientFor } from "./common.js";
import { reconcileObjects } from "./reconcile.js";
import { deleteObject, exportObjects, resumeObjects, suspendObjects, stdinConfirm } from "./verbs.js";

/** What every generic verb's command gives: the kind and the names (or --all). */
export interface KindVerbOptions {
  kind: KindInfo;
  names: string[];
  all: boolean;
}

export interface ExportCommandOptions extends KindVerbOptions {
  withCredentials: boolean;
}

export async function runExport(options: ExportCommandOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await exportObjects(
    { ...options, namespace: client.namespace },
    { client, logger: deps.logger, stdout: deps.io.stdout },
  );
}

export async function runSuspend(options: KindVerbOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await suspendObjects(
    { ...options, namespace: client.namespace },
    { client, logger: deps.logger, stdout: deps.io.stdout },
  );
}

export interface ResumeCommandOptions extends KindVerbOptions {
  /** undefined: the kind's default. */
  wait: boolean | undefined;
}

export async function runResume(options: ResumeCommandOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await resumeObjects(
    { ...options, namespace: client.namespace, timeoutMs: deps.globals.timeoutMs },
    { client, logger: deps.logger, stdout: deps.io.stdout },
  );
}

export interface DeleteCommandOptions {
  kind: KindInfo;
  name: string | undefined;
  silent: boolean;
}

export async function runDelete(options: DeleteCommandOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await deleteObject(
    { ...options, namespace: client.namespace },
    {
      client,
      logger: deps.logger,
      stdout: deps.io.stdout,
      confirm: stdinConfirm(deps.io.stdin, deps.io.stderr),
    },
  );
}

export interface ReconcileCommandOptions extends KindVerbOptions {
  withSource: boolean;
  force: boolean;
  reset: boolean;
  wait: boolean;
}

export async function runReconcile(options: ReconcileCommandOptions, deps: Deps): Promise<void> {
  const client = await clientFor(deps);
  await reconcileObjects(
    { ...options, namespace: client.namespace, timeoutMs: deps.globals.timeoutMs },
    { client, logger: deps.logger },
  );
}
