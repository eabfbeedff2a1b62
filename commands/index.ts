// Every top-level verb of the flux command tree, in upstream's order of help.
import type { Command } from "commander";
import { register as bootstrap } from "./bootstrap.js";
import { register as build } from "./build.js";
import { register as check } from "./check.js";
import { register as completion } from "./completion.js";
import { register as create } from "./create.js";
import { register as del } from "./delete.js";
import { register as diff } from "./diff.js";
import { register as envsubst } from "./envsubst.js";
import { register as events } from "./events.js";
import { register as exportCmd } from "./export.js";
import { register as get } from "./get.js";
import { register as install } from "./install.js";
import { register as list } from "./list.js";
import { register as logs } from "./logs.js";
import { register as pull } from "./pull.js";
import { register as push } from "./push.js";
import { register as reconcile } from "./reconcile.js";
import { register as resume } from "./resume.js";
import { register as suspend } from "./suspend.js";
import { register as tag } from "./tag.js";
import { register as trace } from "./trace.js";
import { register as tree } from "./tree.js";
import { register as uninstall } from "./uninstall.js";
import { register as version } from "./version.js";

/** Top-level verbs by name: registering only the one a command line uses keeps start-up fast. */
export const verbs: ReadonlyArray<readonly [string, (program: Command) => void]> = [
  ["bootstrap", bootstrap],
  ["build", build],
  ["check", check],
  ["completion", completion],
  ["create", create],
  ["delete", del],
  ["diff", diff],
  ["envsubst", envsubst],
  ["events", events],
  ["export", exportCmd],
  ["get", get],
  ["install", install],
  ["list", list],
  ["logs", logs],
  ["pull", pull],
  ["push", push],
  ["reconcile", reconcile],
  ["resume", resume],
  ["suspend", suspend],
  ["tag", tag],
  ["trace", trace],
  ["tree", tree],
  ["uninstall", uninstall],
  ["version", version],
];

export function registerAll(program: Command, only?: string): void {
  for (const [name, register] of verbs) {
    if (only === undefined || name === only) register(program);
  }
}
