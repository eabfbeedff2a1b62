// Kill-at-every-step bootstrap git with the real controllers: SIGKILLed at each of its
// steps (test/support/bootstrap-kill.ts) and run again, the re-run converges with the
// real source-controller and kustomize-controller: one commit of each kind, no deploy key,
// one Secret, never a force-push, Ready at the head (real status). Its own file, so its
// rig (git server, fault proxies) serves only these rows.
import { describeKillRows } from "../support/bootstrap-kill.js";
import { useBootstrapRig } from "../support/bootstrap-rig.js";

const rig = useBootstrapRig({ realControllers: true });

describeKillRows(rig, ["git"], (kind) => `bootstrap ${kind}: kill and run again, real controllers`);
