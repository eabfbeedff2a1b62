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

export function registerAll(program: Command): void {
  for (const register of [
    bootstrap,
    build,
    check,
    completion,
    create,
    del,
    diff,
    envsubst,
    events,
    exportCmd,
    get,
    install,
    list,
    logs,
    pull,
    push,
    reconcile,
    resume,
    suspend,
    tag,
    trace,
    tree,
    uninstall,
    version,
  ]) {
    register(program);
  }
}
