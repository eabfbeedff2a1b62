// Failures come from the controllers: a wrong password or URL, a missing path, a
// failing health check. tsflux's ✗ line carries the controller's own message (read
// back from the object's Ready condition) and the exit code is 1.
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { GitServer } from "../env/git-server.js";
import {
  appFiles,
  createGitSecret,
  flux,
  fluxStatus,
  readyCondition,
  startGitApp,
  type GitApp,
} from "../support/e2e.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const PASSWORD = "e2eFailPassw0rd";
let app: GitApp;
let git: GitServer;
let kc: KubeConfig;
let ns: string;
let repo: string;

const stopLater = stopAfterAll();

beforeAll(async () => {
  app = stopLater(
    await startGitApp("e2e-fail", {
      password: PASSWORD,
      files: {
        ...appFiles("v1"),
        "unhealthy/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: 1
  selector:
    matchLabels: { app: stuck }
  template:
    metadata:
      labels: { app: stuck }
    spec:
      # No Node has this label: the scheduler never places the Pod.
      nodeSelector: { tsflux.example/nowhere: "true" }
      containers:
        - name: stuck
          image: ghcr.io/stefanprodan/podinfo:6.9.0
`,
      },
    }),
  );
  ({ git, kc, ns, repo } = app);
  await createGitSecret(app, "good-auth", PASSWORD);
});

/** The message of the object's Ready=False condition, as the controller wrote it. */
async function controllerMessage(kind: "GitRepository" | "Kustomization", name: string): Promise<string> {
  const ready = must(readyCondition(await fluxStatus(kc, kind, ns, name)), `${kind} ${name}'s Ready condition`);
  expect(ready.status).toBe("False");
  return ready.message;
}

describe("failures reported with the controllers' own messages", () => {
  it("a wrong password: create source git fails with source-controller's message", async () => {
    const bad = await flux(
      "create",
      "secret",
      "git",
      "bad-auth",
      `--url=${git.url(repo)}`,
      "--username=git",
      "--password=not-the-password",
      "-n",
      ns,
    );
    expect(bad.code).toBe(0);
    const res = await flux(
      "create",
      "source",
      "git",
      "wrong-password",
      `--url=${git.url(repo)}`,
      "--branch=main",
      "--secret-ref=bad-auth",
      "--timeout=15s",
      "-n",
      ns,
    );
    expect(res.code).toBe(1);
    const message = await controllerMessage("GitRepository", "wrong-password");
    expect(message).toMatch(/authentication required|401|Unauthorized/i);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toMatch(/^✗ /m);
    expect(res.stderr).not.toContain("not-the-password");
  });

  it("a wrong URL: create source git fails with source-controller's message", async () => {
    const res = await flux(
      "create",
      "source",
      "git",
      "wrong-url",
      `--url=${git.url("apps/does-not-exist")}`,
      "--branch=main",
      "--secret-ref=good-auth",
      "--timeout=15s",
      "-n",
      ns,
    );
    expect(res.code).toBe(1);
    const message = await controllerMessage("GitRepository", "wrong-url");
    expect(message).toMatch(/not found|404|repository/i);
    expect(res.stderr).toContain(message);
  });

  it("a missing path: create and reconcile kustomization fail with kustomize-controller's message", async () => {
    const src = await flux(
      "create",
      "source",
      "git",
      "app",
      `--url=${git.url(repo)}`,
      "--branch=main",
      "--secret-ref=good-auth",
      "--timeout=1m",
      "-n",
      ns,
    );
    expect(src.code).toBe(0);
    const created = await flux(
      "create",
      "kustomization",
      "missing-path",
      "--source=GitRepository/app",
      "--path=./nowhere",
      "--prune=true",
      "--timeout=15s",
      "-n",
      ns,
    );
    expect(created.code).toBe(1);
    const message = await controllerMessage("Kustomization", "missing-path");
    expect(message).toContain("nowhere");
    expect(message).toMatch(/not found|no such file/i);
    expect(created.stderr).toContain(message);

    const reconciled = await flux("reconcile", "kustomization", "missing-path", "-n", ns, "--timeout=15s");
    expect(reconciled.code).toBe(1);
    // kustomize-controller keeps retrying (Reconciling=True, ProgressingWithRetry): the wait ends
    // at --timeout and names the controller's Ready message.
    expect(reconciled.stderr).toContain(
      `✗ timeout waiting for Kustomization ${ns}/missing-path to become ready: ${await controllerMessage("Kustomization", "missing-path")}\n`,
    );
  });

  it("a failing health check is reported by the wait", async () => {
    const res = await flux(
      "create",
      "kustomization",
      "unhealthy",
      "--source=GitRepository/app",
      "--path=./unhealthy",
      `--target-namespace=${ns}`,
      `--health-check=Deployment/stuck.${ns}`,
      "--health-check-timeout=5s",
      "--prune=true",
      // kustomize-controller's first health check ends after ~30s; it retries after 1m.
      "--timeout=50s",
      "-n",
      ns,
    );
    expect(res.code).toBe(1);
    const message = await controllerMessage("Kustomization", "unhealthy");
    expect(message).toMatch(/health check failed/i);
    expect(message).toContain(`Deployment/${ns}/stuck`);
    expect(res.stderr).toContain(message);
  });
});
