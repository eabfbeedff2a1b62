// Kill-at-every-step bootstrap with the real controllers: bootstrap github is SIGKILLed
// at each of its steps (test/support/bootstrap-kill.ts) and run again; the re-run must
// converge with the real source-controller cloning the ssh:// sync URL from the real
// sshd with the deploy key, and kustomize-controller applying it: one commit of each
// kind, one deploy key, one Secret, never a force-push, Ready at the head (real status).
import { describeKillRows } from "../support/bootstrap-kill.js";
import { useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig({ realControllers: true });

describeKillRows(rig, ["github"], (kind) => `bootstrap ${kind}: kill and run again, real controllers`);
