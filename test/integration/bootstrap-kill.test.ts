// Kill-at-every-step bootstrap for git, github and gitlab, with the test playing the
// controllers (test/providers/flux-standin.ts): the rows are test/support/bootstrap-kill.ts;
// test/e2e/bootstrap-kill.test.ts runs them with the real controllers.
import { describeKillPointCoverage, describeKillRows } from "../support/bootstrap-kill.js";
import { BOOTSTRAP_KINDS, useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig();

describeKillPointCoverage();
describeKillRows(rig, BOOTSTRAP_KINDS);
