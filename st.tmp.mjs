import { KubeConfig, AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
const kc = new KubeConfig(); kc.loadFromFile(process.env.KUBECONFIG);
const apps = kc.makeApiClient(AppsV1Api); const core = kc.makeApiClient(CoreV1Api);
const ns = process.argv[2];
const d = await apps.readNamespacedDeployment({ name: "app", namespace: ns });
console.log(d.metadata.generation, JSON.stringify(d.status));
const pods = await core.listNamespacedPod({ namespace: ns });
for (const p of pods.items) console.log(p.metadata.name, p.spec.nodeName, p.status.phase, JSON.stringify(p.status.conditions?.map(c=>c.type+"="+c.status)), p.metadata.deletionTimestamp);
const n = await core.readNode({ name: "kwok-node-0" }); console.log(JSON.stringify(n.spec.taints), JSON.stringify(n.status.conditions.map(c=>c.type+"="+c.status)));
