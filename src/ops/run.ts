// Command bindings of the generic verbs: turn parsed flags into engine options.
import type { Run } from "../cli/action.js";
import type { KindInfo } from "../kinds/registry.js";
import { clientFor } from "./common.js";
import { runReconcile } from "./reconcile.js";
import { runDelete, runExport, runResume, runSuspend, stdinConfirm } from "./verbs.js";

export function makeRunExport(kind: KindInfo): Run {
  return async (args, opts, ctx) => {
    const client = await clientFor(ctx);
    await runExport(
      {
        kind,
        names: args,
        all: Boolean(opts.all),
        namespace: client.namespace,
        withCredentials: Boolean(opts.withCredentials),
      },
      { client, logger: ctx.logger, stdout: ctx.io.stdout },
    );
  };
}

export function makeRunSuspend(kind: KindInfo): Run {
  return async (args, opts, ctx) => {
    const client = await clientFor(ctx);
    await runSuspend(
      { kind, names: args, all: Boolean(opts.all), namespace: client.namespace },
      { client, logger: ctx.logger, stdout: ctx.io.stdout },
    );
  };
}

export function makeRunResume(kind: KindInfo): Run {
  return async (args, opts, ctx) => {
    const client = await clientFor(ctx);
    await runResume(
      {
        kind,
        names: args,
        all: Boolean(opts.all),
        namespace: client.namespace,
        wait: opts.wait === undefined ? undefined : Boolean(opts.wait),
        timeoutMs: ctx.globals.timeoutMs,
      },
      { client, logger: ctx.logger, stdout: ctx.io.stdout },
    );
  };
}

export function makeRunDelete(kind: KindInfo): Run {
  return async (args, opts, ctx) => {
    const client = await clientFor(ctx);
    await runDelete(
      { kind, name: args[0], namespace: client.namespace, silent: Boolean(opts.silent) },
      { client, logger: ctx.logger, stdout: ctx.io.stdout, confirm: stdinConfirm(ctx.io.stdin, ctx.io.stderr) },
    );
  };
}

export function makeRunReconcile(kind: KindInfo): Run {
  return async (args, opts, ctx) => {
    const client = await clientFor(ctx);
    await runReconcile(
      {
        kind,
        names: args,
        all: Boolean(opts.all),
        namespace: client.namespace,
        withSource: Boolean(opts.withSource),
        force: Boolean(opts.force),
        reset: Boolean(opts.reset),
        wait: opts.wait !== false,
        timeoutMs: ctx.globals.timeoutMs,
      },
      { client, logger: ctx.logger },
    );
  };
}
