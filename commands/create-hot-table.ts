// Build time only (scripts/build.mjs): the hot path's table of every `create` leaf,
// read off commander's tree (src/cli/hot-table.ts), for dist/cli/hot.cjs, cut per leaf.
import { hotTable } from "../src/cli/hot-table.js";
export { hotTableTexts } from "../src/cli/hot-table.js";
import type { HotTable } from "../src/cli/hot-line.js";
import { buildProgram } from "./index.js";

/** Variables a flag default could be read from, each different in the two builds. */
const ENVS: [NodeJS.ProcessEnv, NodeJS.ProcessEnv] = [
  { HOME: "/tsflux-a", KUBECACHEDIR: "", KUBECONFIG: "/tsflux-a/config", XDG_CONFIG_HOME: "/tsflux-a/config-home" },
  { HOME: "/tsflux-b", KUBECACHEDIR: "/tsflux-b/cache", KUBECONFIG: "", XDG_CONFIG_HOME: "" },
];

export function createHotTable(): HotTable {
  return hotTable((argv) => buildProgram(undefined, argv), "create", ENVS);
}
