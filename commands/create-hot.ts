// The hot path of `flux create …` (dist/cli/hot.cjs, loaded by commands/entry.ts;
// issue 17: start-up): a command line of the plain forms scripts write is read against
// the table scripts/build.mjs takes from commander's tree (src/cli/hot-line.ts) and runs
// its leaf's mapper and engine, without commander. Any other line is handed back, to
// the create group's commander program (dist/cli/create.cjs).
import type { Binding } from "../src/cli/action.js";
import { processIO, type IO } from "../src/cli/context.js";
import {
  hotInvocation,
  leafTable,
  readHotLine,
  runHotLine,
  type HotLine,
  type HotTableTexts,
} from "../src/cli/hot-line.js";
import { binding as alert } from "./create/alert.js";
import { binding as alertProvider } from "./create/alert-provider.js";
import { binding as helmrelease } from "./create/helmrelease.js";
import { binding as imagePolicy } from "./create/image/policy.js";
import { binding as imageRepository } from "./create/image/repository.js";
import { binding as imageUpdate } from "./create/image/update.js";
import { binding as kustomization } from "./create/kustomization.js";
import { binding as receiver } from "./create/receiver.js";
import { binding as secretGit } from "./create/secret/git.js";
import { binding as secretGithubapp } from "./create/secret/githubapp.js";
import { binding as secretHelm } from "./create/secret/helm.js";
import { binding as secretNotation } from "./create/secret/notation.js";
import { binding as secretOci } from "./create/secret/oci.js";
import { binding as secretProxy } from "./create/secret/proxy.js";
import { binding as secretReceiver } from "./create/secret/receiver.js";
import { binding as secretTls } from "./create/secret/tls.js";
import { binding as sourceBucket } from "./create/source/bucket.js";
import { binding as sourceChart } from "./create/source/chart.js";
import { binding as sourceGit } from "./create/source/git.js";
import { binding as sourceHelm } from "./create/source/helm.js";
import { binding as sourceOci } from "./create/source/oci.js";
import { binding as tenant } from "./create/tenant.js";

/** The table's texts (src/cli/hot-table.ts hotTableTexts), set by scripts/build.mjs; absent when run from source. */
declare const __CREATE_HOT_TABLES__: HotTableTexts | undefined;

/** A leaf on the hot path: its mapper (tested against commander's path) and the whole run. */
interface HotRun {
  options: (line: HotLine) => unknown;
  run: (line: HotLine, io: IO) => Promise<number>;
}
const hot = <O>(binding: Binding<O>): HotRun => ({
  options: (line) => binding.options(hotInvocation(line, { preRun: binding.preRun })),
  run: (line, io) => runHotLine(line, binding, io),
});

/** Every create leaf by its command words; test/unit/cli/hot-line.test.ts checks it against the tree. */
export const hotLeaves: Readonly<Record<string, HotRun>> = {
  "create source git": hot(sourceGit),
  "create source helm": hot(sourceHelm),
  "create source oci": hot(sourceOci),
  "create source bucket": hot(sourceBucket),
  "create source chart": hot(sourceChart),
  "create kustomization": hot(kustomization),
  "create helmrelease": hot(helmrelease),
  "create image repository": hot(imageRepository),
  "create image policy": hot(imagePolicy),
  "create image update": hot(imageUpdate),
  "create alert": hot(alert),
  "create alert-provider": hot(alertProvider),
  "create receiver": hot(receiver),
  "create tenant": hot(tenant),
  "create secret git": hot(secretGit),
  "create secret githubapp": hot(secretGithubapp),
  "create secret helm": hot(secretHelm),
  "create secret notation": hot(secretNotation),
  "create secret oci": hot(secretOci),
  "create secret proxy": hot(secretProxy),
  "create secret receiver": hot(secretReceiver),
  "create secret tls": hot(secretTls),
};

/** Runs a `flux create …` command line the hot path reads; undefined (nothing done) for any other. */
export function runCreateHot(argv: string[]): Promise<number> | undefined {
  const table = typeof __CREATE_HOT_TABLES__ === "undefined" ? undefined : leafTable(__CREATE_HOT_TABLES__, argv);
  const line = table && readHotLine(table, argv);
  const leaf = line && hotLeaves[line.path];
  return line && leaf ? leaf.run(line, processIO()) : undefined;
}
