// notification-controller for real: an alert-provider (generic webhook to a local
// HTTP receiver) and an alert forward the events source-controller emits; a generic
// Receiver turns a webhook POST into a reconcile of the GitRepository.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { applyYaml, eventually, fluxRef, getObject } from "../env/helpers.js";
import type { GitServer } from "../env/git-server.js";
import { appFiles, flux, fluxStatus, startGitApp, type GitApp } from "../support/e2e.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

interface Posted {
  involvedObject: { kind: string; name: string; namespace: string };
  reason: string;
  message: string;
  metadata?: Record<string, string>;
}

let app: GitApp;
let git: GitServer;
let kc: KubeConfig;
let ns: string;
let repo: string;
let hook: http.Server;
let hookURL: string;
const posted: Posted[] = [];

const stopLater = stopAfterAll();

beforeAll(async () => {
  app = stopLater(await startGitApp("e2e-notify"));
  ({ git, kc, ns, repo } = app);
  hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      posted.push(JSON.parse(body) as Posted);
      res.writeHead(200).end();
    });
  });
  stopLater({ stop: () => new Promise<void>((r) => hook.close(() => r())) });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  hookURL = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/events`;
});

describe(`notification-controller v${inject("notificationControllerVersion")}`, () => {
  it("forwards the controllers' events to a generic provider through an alert", async () => {
    const provider = await flux("create", "alert-provider", "hook", "--type=generic", `--address=${hookURL}`, "-n", ns);
    expect(provider.code).toBe(0);
    const alert = await flux(
      "create",
      "alert",
      "all-sources",
      "--provider-ref=hook",
      "--event-source=GitRepository/*",
      "--event-severity=info",
      "-n",
      ns,
    );
    expect(alert.code).toBe(0);

    const src = await flux("create", "source", "git", "app", `--url=${git.url(repo)}`, "--branch=main", "-n", ns);
    expect(src.code).toBe(0);
    const revision = must(
      (await fluxStatus(kc, "GitRepository", ns, "app")).artifact,
      "the GitRepository's artifact",
    ).revision;
    // source-controller posts to notification-controller, which forwards to the provider.
    const event = await eventually(
      () =>
        Promise.resolve(
          posted.find((e) => e.involvedObject.kind === "GitRepository" && e.involvedObject.name === "app"),
        ),
      60_000,
      250,
    );
    expect(event.involvedObject.namespace).toBe(ns);
    expect(event.message).toContain("stored artifact");
    expect(Object.values(event.metadata ?? {})).toContain(revision);
  });

  it("a webhook POST to a generic Receiver makes the source reconcile", async () => {
    await applyYaml(
      kc,
      [
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "hook-token", namespace: ns },
          stringData: { token: "e2e-receiver-token" },
        },
      ],
      ns,
    );
    const res = await flux(
      "create",
      "receiver",
      "push",
      "--type=generic",
      "--secret-ref=hook-token",
      "--resource=GitRepository/app",
      "-n",
      ns,
    );
    expect(res.code).toBe(0);
    const receiver = await getObject(kc, fluxRef("Receiver", ns, "push"));
    const webhookPath = must((receiver.status as { webhookPath?: string }).webhookPath, "the Receiver's webhookPath");
    expect(webhookPath).toMatch(/^\/hook\/[0-9a-f]{64}$/);
    expect(res.stderr.endsWith(`✔ Receiver push is ready\n✔ generated webhook URL ${webhookPath}\n`)).toBe(true);

    const before = (await fluxStatus(kc, "GitRepository", ns, "app")).lastHandledReconcileAt;
    const sha = git.commitFiles(repo, "main", appFiles("v2"), "v2");
    const post = await fetch(`${inject("receiverURL")}${webhookPath}`, { method: "POST", body: "{}" });
    expect(post.status).toBe(200);
    // notification-controller annotated the GitRepository; source-controller fetched the push.
    const st = await eventually(
      async () => {
        const s = await fluxStatus(kc, "GitRepository", ns, "app");
        return s.artifact?.revision === `main@sha1:${sha}` ? s : undefined;
      },
      60_000,
      250,
    );
    expect(st.lastHandledReconcileAt).toBeTruthy();
    expect(st.lastHandledReconcileAt).not.toBe(before);
  });
});
