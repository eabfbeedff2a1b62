// Kill-at-every-step bootstrap gitlab with the real controllers: SIGKILLed at each of its
// steps (test/support/bootstrap-kill.ts) and run again, the re-run converges with the
// real source-controller and kustomize-controller: one commit of each kind, one deploy key,
// one Secret, never a force-push, Ready at the head (real status). Its own file, so its
// rig (git server, sshd, fault proxies) serves only these rows.
import { describeKillRows } from "../support/bootstrap-kill.js";
import { useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig({ realControllers: true });

describeKillRows(rig, ["gitlab"], (kind) => `bootstrap ${kind}: kill and run again, real controllers`);
