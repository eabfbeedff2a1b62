// Two bootstraps racing on one repository, for git, github and gitlab, with the test
// playing the controllers: the rows are test/support/bootstrap-race.ts;
// test/e2e/bootstrap-race.test.ts runs them with the real controllers.
import { describeRaceRows } from "../support/bootstrap-race.js";
import { BOOTSTRAP_KINDS, useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig();

describeRaceRows(rig, BOOTSTRAP_KINDS);
