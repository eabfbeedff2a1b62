// `flux check` against the run's shared API server (read-only: nothing installed),
// and `--pre` against a server reporting an unsupported Kubernetes version.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, testKubeConfig, testKubeconfigPath } from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";

let kubeconfig: string;
let ns: string;

beforeAll(async () => {
  kubeconfig = await testKubeconfigPath();
  ns = await createNamespace(await testKubeConfig(), `check-${Date.now().toString(36)}`);
});

const flux = (...args: string[]) => runCli(["--kubeconfig", kubeconfig, ...args]);

describe("flux check", () => {
  it("--pre checks the Kubernetes version against Flux's supported range", async () => {
    const res = await flux("check", "--pre");
    expect(res.code).toBe(0);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(
      /^► checking prerequisites\n✔ Kubernetes 1\.\d+\.\d+ >=1\.33\.0-0\n✔ prerequisites checks passed\n$/,
    );
  });

  it("fails with the reason when no controllers are installed in the namespace", async () => {
    const res = await flux("check", "-n", ns, "--timeout", "1s", "--poll-interval", "100ms");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `► checking controllers\n✗ no controllers found in the '${ns}' namespace with the label selector 'app.kubernetes.io/part-of=flux'\n`,
    );
    expect(res.stderr.trimEnd().split("\n").at(-1)).toBe("✗ check failed");
  });

  it("version names the namespace without Flux deployments", async () => {
    const res = await flux("version", "-n", ns);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(`✗ no deployments found in ${ns} namespace\n`);
  });

  it("version --client never contacts a cluster", async () => {
    const res = await runCli(["version", "--client", "--kubeconfig", "/nonexistent"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^flux: v2\.9\.\d+\+tsflux\.[0-9.]+\n$/);
  });

  it("--pre fails when the API server cannot be reached", async () => {
    const res = await flux("check", "--pre", "--server", "https://127.0.0.1:1");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/✗ Kubernetes API call failed: .*ECONNREFUSED/);
  });
});

describe("flux check --pre on an unsupported Kubernetes version", () => {
  let server: http.Server;
  let dir: string;
  let oldKubeconfig: string;
  beforeAll(async () => {
    // A server that answers /version like a Kubernetes v1.32 API server.
    server = http.createServer((req, res) => {
      if (req.url === "/version") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.3", platform: "linux/amd64" }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-check-"));
    oldKubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(
      oldKubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- name: old
  cluster:
    server: http://127.0.0.1:${(server.address() as AddressInfo).port}
    # plain HTTP (no TLS to verify); client-node requires this flag for http:// servers
    insecure-skip-tls-verify: true
contexts:
- name: old
  context:
    cluster: old
    user: old
current-context: old
users:
- name: old
  user:
    token: not-a-secret
`,
    );
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints upstream's failure and exits 1", async () => {
    const res = await runCli(["check", "--pre", "--kubeconfig", oldKubeconfig]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("► checking prerequisites\n✗ Kubernetes version v1.32.3 does not match >=1.33.0-0\n");
  });
});
