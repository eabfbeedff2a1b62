// Upstream's global kube flags against the real API server: --client-certificate and
// --client-key authenticate, --tls-server-name decides which name the serving
// certificate must carry, --as-uid and --as-user-extra reach the server's idea of the
// user, answers are gzipped unless --disable-compression, and --kube-api-qps and
// --kube-api-burst hold requests back.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient, type KubeOptions } from "../../src/kube/client.js";
import { kubeRest, type KubeList } from "../../src/kube/rest.js";
import { applyYaml, createNamespace, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { must } from "../support/must.js";

interface Review {
  status: { userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

const dir = mkdtempSync(join(tmpdir(), "tsflux-kube-globals-"));
let admin: { server: string; ca: string; cert: string; key: string };
let namespace: string;

/** A kubeconfig for the test API server; the user has no credentials unless given. */
function kubeconfigFile(name: string, cluster: Record<string, unknown>, user: Record<string, unknown> = {}): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: admin.server, "certificate-authority-data": admin.ca, ...cluster } }],
      users: [{ name: "u", user }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
      "current-context": "x",
    }),
  );
  return file;
}

const certFile = () => join(dir, "admin.crt");
const keyFile = () => join(dir, "admin.key");

async function whoami(opts: Partial<KubeOptions>): Promise<Review["status"]["userInfo"]> {
  const client = await createKubeClient(opts);
  const review = await kubeRest<Review>(client, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
  });
  return review.status.userInfo;
}

beforeAll(async () => {
  const doc = JSON.parse(readFileSync(await testKubeconfigPath(), "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
  };
  const { user } = must(doc.users[0], "a user in the test kubeconfig");
  const { cluster } = must(doc.clusters[0], "a cluster in the test kubeconfig");
  admin = {
    server: cluster.server,
    ca: cluster["certificate-authority-data"],
    cert: user["client-certificate-data"],
    key: user["client-key-data"],
  };
  writeFileSync(certFile(), Buffer.from(admin.cert, "base64"));
  writeFileSync(keyFile(), Buffer.from(admin.key, "base64"), { mode: 0o600 });
  namespace = await createNamespace(await testKubeConfig());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--client-certificate and --client-key", () => {
  it("authenticate a kubeconfig user that has no credentials", async () => {
    const kubeconfig = kubeconfigFile("no-creds", {});
    await applyYaml(
      await testKubeConfig(),
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: certs, namespace: ${namespace}}
spec: {url: "https://example.com/repo", interval: 1m, ref: {branch: main}}
`,
    );
    const anonymous = await runCli(["--kubeconfig", kubeconfig, "get", "sources", "git", "-n", namespace]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toBe("");
    const withCert = await runCli([
      "--kubeconfig",
      kubeconfig,
      `--client-certificate=${certFile()}`,
      `--client-key=${keyFile()}`,
      "get",
      "sources",
      "git",
      "-n",
      namespace,
    ]);
    expect(withCert.stderr).toBe("");
    expect(withCert.stdout).toMatch(/^NAME\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE\s*\ncerts\s/);
    expect(withCert.code).toBe(0);
    expect((await whoami({ kubeconfig, clientCertificate: certFile(), clientKey: keyFile() })).username).toBe(
      "tsflux-admin",
    );
  });
});

describe("--tls-server-name", () => {
  const creds = () => ({ "client-certificate-data": admin.cert, "client-key-data": admin.key });

  it("overrides the kubeconfig's server name for certificate validation", async () => {
    // the serving certificate is for 127.0.0.1, localhost and kubernetes.default*
    const wrongName = kubeconfigFile("wrong-name", { "tls-server-name": "wrong.example" }, creds());
    await expect(whoami({ kubeconfig: wrongName })).rejects.toThrow(/wrong\.example/);
    expect((await whoami({ kubeconfig: wrongName, tlsServerName: "kubernetes.default" })).username).toBe(
      "tsflux-admin",
    );
    const good = kubeconfigFile("good-name", {}, creds());
    await expect(whoami({ kubeconfig: good, tlsServerName: "nope.example" })).rejects.toThrow(/nope\.example/);
  });
});

describe("--as-uid and --as-user-extra", () => {
  it("are the impersonated user's uid and extra information", async () => {
    const kubeconfig = await testKubeconfigPath();
    const user = await whoami({
      kubeconfig,
      as: "jane",
      asUid: "1234-abcd",
      asUserExtra: ["scopes=view", "scopes=edit", "team name=a b"],
    });
    expect(user).toMatchObject({
      username: "jane",
      uid: "1234-abcd",
      extra: { scopes: ["view", "edit"], "team name": ["a b"] },
    });
  });
});

describe("response compression", () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let received = 0;
  let port = 0;

  beforeAll(async () => {
    // A TCP relay in front of the API server that counts the bytes it answers with.
    const target = new URL(admin.server);
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      upstream.on("data", (chunk: Buffer) => (received += chunk.length));
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
    const filler = "compressible ".repeat(1500); // ~19 KB a ConfigMap, ~230 KB the list
    await applyYaml(
      await testKubeConfig(),
      Array.from({ length: 12 }, (_, i) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `big-${i}`, namespace },
        data: { filler },
      })),
    );
  });
  afterAll(async () => {
    // the clients' keep-alive connections would hold the relay open
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function listThroughRelay(disableCompression: boolean): Promise<{ bytes: number; items: number }> {
    const kubeconfig = kubeconfigFile(
      "relay",
      {},
      { "client-certificate-data": admin.cert, "client-key-data": admin.key },
    );
    writeFileSync(kubeconfig, readFileSync(kubeconfig, "utf8").replace(admin.server, `https://127.0.0.1:${port}`));
    const client = await createKubeClient({ kubeconfig, disableCompression });
    received = 0;
    const list = await kubeRest<KubeList>(client, "GET", `/api/v1/namespaces/${namespace}/configmaps`);
    return { bytes: received, items: list.items.filter((cm) => cm.metadata.name.startsWith("big-")).length };
  }

  it("asks for gzip, and reads the gzipped answer", async () => {
    const gzipped = await listThroughRelay(false);
    expect(gzipped.items).toBe(12);
    expect(gzipped.bytes).toBeLessThan(60_000);
  });

  it("asks for none with --disable-compression", async () => {
    const plain = await listThroughRelay(true);
    expect(plain.items).toBe(12);
    expect(plain.bytes).toBeGreaterThan(12 * 19_000);
  });
});

describe("--kube-api-qps and --kube-api-burst", () => {
  it("hold requests beyond the burst back to qps a second", async () => {
    const kubeconfig = await testKubeconfigPath();
    const client = await createKubeClient({ kubeconfig, kubeApiQps: 20, kubeApiBurst: 2 });
    const start = performance.now();
    await Promise.all(Array.from({ length: 12 }, () => kubeRest(client, "GET", "/version")));
    // 2 at once, then 10 more at 20 a second: never sooner than 500 ms
    expect(performance.now() - start).toBeGreaterThanOrEqual(490);
  });
});
