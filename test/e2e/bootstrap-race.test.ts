// Two bootstraps racing on one repository with the real controllers, for git (over
// HTTP with a password), github and gitlab (ssh:// sync URLs served by the real sshd):
// both end cleanly, the branch only moves forward, and the result is one bootstrap's,
// Ready by the real controllers; a third run changes nothing.
import { describeRaceRows } from "../support/bootstrap-race.js";
import { BOOTSTRAP_KINDS, useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig({ realControllers: true });

describeRaceRows(rig, BOOTSTRAP_KINDS, (kind) => `bootstrap ${kind}, real controllers`);
