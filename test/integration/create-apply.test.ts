// flux create without --export against the real API server: create or update, upstream's
// status lines, and the watch-based readiness wait. The test stands in for the
// controllers by writing status through the status subresource.
import { describe, expect, it } from "vitest";
import {
  createNamespace,
  eventually,
  fluxRef,
  getObject,
  markReconciled,
  setArtifact,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
  type FluxKind,
} from "../env/helpers.js";
import { runCli } from "../helpers/cli.js";
import { must } from "../support/must.js";

async function env(): Promise<{ ns: string; kubeconfig: string }> {
  const kc = await testKubeConfig();
  return { ns: await createNamespace(kc), kubeconfig: await testKubeconfigPath() };
}

/** Waits for the object to appear (or reach a new generation), then acts as its controller. */
async function controller(
  kind: FluxKind,
  ns: string,
  name: string,
  act: (gen: number) => Promise<unknown>,
  minGeneration = 1,
): Promise<void> {
  const kc = await testKubeConfig();
  const obj = await eventually(async () => {
    const o = await tryGetObject(kc, fluxRef(kind, ns, name));
    return o && (o.metadata.generation ?? 0) >= minGeneration ? o : undefined;
  }, 20_000);
  await act(obj.metadata.generation ?? 1);
}

describe("flux create (apply and wait)", () => {
  it("times out within --timeout when nothing reconciles", async () => {
    const { ns, kubeconfig } = await env();
    const started = Date.now();
    const res = await runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "image",
      "repository",
      "podinfo",
      "--image=ghcr.io/stefanprodan/podinfo",
      "-n",
      ns,
      "--timeout=2s",
    ]);
    expect(res.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.stderr).toMatch(/✗ timeout waiting for ImageRepository .*podinfo to become ready/);
    expect(await tryGetObject(await testKubeConfig(), fluxRef("ImageRepository", ns, "podinfo"))).toBeDefined();
  });

  it("creates an Alert and a Provider without waiting for a controller", async () => {
    const { ns, kubeconfig } = await env();
    const p = await runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "alert-provider",
      "slack",
      "--type=slack",
      "--channel=general",
      "-n",
      ns,
    ]);
    expect(p.code).toBe(0);
    expect(p.stderr).toBe(
      "✚ generating Provider\n► applying Provider\n✔ Provider created\n◎ waiting for Provider reconciliation\n✔ Provider slack is ready\n",
    );
    const a = await runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "alert",
      "slack",
      "--provider-ref=slack",
      "--event-source=Kustomization/*",
      "-n",
      ns,
    ]);
    expect(a.code).toBe(0);
    const live = await getObject(await testKubeConfig(), fluxRef("Alert", ns, "slack"));
    expect(live.spec).toMatchObject({
      providerRef: { name: "slack" },
      eventSources: [{ kind: "Kustomization", name: "*" }],
    });
  });

  it("applies a git secret and a tenant; secrets never reach the output", async () => {
    const { ns, kubeconfig } = await env();
    const s = await runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "secret",
      "git",
      "creds",
      "--url=https://github.com/x/y",
      "-u",
      "git",
      "-p",
      "hunter2",
      "-n",
      ns,
    ]);
    expect(s.code).toBe(0);
    expect(s.stderr).toBe(`► git secret 'creds' created in '${ns}' namespace\n`);
    expect(s.stdout + s.stderr).not.toContain("hunter2");
    const kc = await testKubeConfig();
    const secret = await getObject(kc, { group: "", version: "v1", plural: "secrets", namespace: ns, name: "creds" });
    expect(
      Buffer.from(
        must(
          (secret as unknown as { data: Record<string, string | undefined> }).data.password,
          "the Secret's password",
        ),
        "base64",
      ).toString(),
    ).toBe("hunter2");

    const tenantNs = `${ns}-t`;
    for (const word of ["first", "second"]) {
      const t = await runCli([
        "--kubeconfig",
        kubeconfig,
        "create",
        "tenant",
        "dev-team",
        `--with-namespace=${tenantNs}`,
        "--cluster-role=view",
      ]);
      expect(t.code, word).toBe(0);
      expect(t.stderr).toBe(
        `► applying namespace ${tenantNs}\n► applying service account dev-team\n► applying role binding dev-team-reconciler\n✔ tenant setup completed\n`,
      );
    }
    const rb = await getObject(kc, {
      group: "rbac.authorization.k8s.io",
      version: "v1",
      plural: "rolebindings",
      namespace: tenantNs,
      name: "dev-team-reconciler",
    });
    expect((rb as unknown as { roleRef: { name: string } }).roleRef.name).toBe("view");
  });

  it("reports an unreachable cluster as one clear line", async () => {
    const res = await runCli([
      "--server=https://127.0.0.1:1",
      "--insecure-skip-tls-verify",
      "create",
      "alert-provider",
      "slack",
      "--type=slack",
      "--timeout=5s",
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr.split("\n").filter((l) => l.startsWith("✗"))).toHaveLength(1);
  });
});

describe("flux create source git over SSH (apply)", () => {
  it("generates a deploy key, stores it with the host key and references it", async () => {
    const { runCreateSourceGit } = await import("../../src/create/sources.js");
    const { optionsFor } = await import("../helpers/cli.js");
    const { createLogger } = await import("../../src/output/logger.js");
    const { ns, kubeconfig } = await env();
    const kc = await testKubeConfig();
    let stderr = "";
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((stderr += s), true) },
      stdin: process.stdin,
    };
    const ctx = {
      globals: {
        kubeconfig,
        namespace: ns,
        namespaceSet: true,
        timeoutMs: 30_000,
        timeout: "30s",
        insecureSkipTlsVerify: false,
        verbose: false,
        nsFollowsKubeContext: false,
      },
      logger: createLogger({ stream: io.stderr, color: false }),
      io,
    };
    const scanHostKey = () =>
      Promise.resolve("github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
    const ref = fluxRef("GitRepository", ns, "podinfo");
    const options = await optionsFor<import("../../src/create/options.js").CreateSourceGitOptions>([
      "create",
      "source",
      "git",
      "podinfo",
      "--url=ssh://git@github.com/stefanprodan/podinfo",
      "--branch=main",
      "--silent",
      "--ssh-key-algorithm=ed25519",
    ]);
    const done = runCreateSourceGit(options, { ...ctx, scanHostKey });
    await controller("GitRepository", ns, "podinfo", async () => {
      await setArtifact(kc, ref, "main@sha1:696f056df216eea4f9401adbee0ff744d4df390f");
      await markReconciled(kc, ref);
    });
    await done;
    const lines = stderr.split("\n");
    expect(lines[0]).toBe("✚ generating GitRepository source");
    expect(lines[1]).toBe("✔ collected public key from SSH server:");
    expect(lines[2]).toMatch(/^github\.com ssh-ed25519 /);
    expect(lines[3]).toMatch(/^✚ deploy key: ssh-ed25519 AAAA/);
    expect(stderr).toContain(
      "► applying secret with repository credentials\n✔ authentication configured\n► applying GitRepository source\n",
    );
    expect(stderr).not.toContain("PRIVATE KEY");
    const repo = await getObject(kc, ref);
    expect((repo.spec as { secretRef: { name: string } }).secretRef).toEqual({ name: "podinfo" });
    const secret = (await getObject(kc, {
      group: "",
      version: "v1",
      plural: "secrets",
      namespace: ns,
      name: "podinfo",
    })) as unknown as {
      data: Record<string, string>;
    };
    expect(Object.keys(secret.data).sort()).toEqual(["identity", "identity.pub", "known_hosts"]);
    expect(Buffer.from(must(secret.data.identity, "the Secret's identity"), "base64").toString()).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n/,
    );
  });

  it("aborts without a terminal unless --silent, before anything is applied", async () => {
    const { ns, kubeconfig } = await env();
    const res = await runCli(
      [
        "--kubeconfig",
        kubeconfig,
        "create",
        "source",
        "git",
        "podinfo",
        "--url=ssh://git@127.0.0.1:1/x/y",
        "--branch=main",
        "-n",
        ns,
        "--timeout=5s",
      ],
      {},
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/✗ (aborting|unable to collect the SSH host key of \[127\.0\.0\.1\]:1: .*)\n$/);
    expect(await tryGetObject(await testKubeConfig(), fluxRef("GitRepository", ns, "podinfo"))).toBeUndefined();
  });

  it("stores bucket and Helm repository credentials in Secrets the sources refer to", async () => {
    const { ns, kubeconfig } = await env();
    const kc = await testKubeConfig();
    const secretRef = (name: string) => ({ group: "", version: "v1", plural: "secrets", namespace: ns, name });
    const decoded = async (name: string) => {
      const s = (await getObject(kc, secretRef(name))) as unknown as { data: Record<string, string> };
      return Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    };

    const bucketRef = fluxRef("Bucket", ns, "podinfo");
    const bucket = runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "source",
      "bucket",
      "podinfo",
      "--bucket-name=podinfo",
      "--endpoint=minio.example.com",
      "--access-key=AKID",
      "--secret-key=s3cr3t-key",
      "-n",
      ns,
      "--timeout=30s",
    ]);
    await controller("Bucket", ns, "podinfo", async () => {
      await setArtifact(kc, bucketRef, "sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2");
      await markReconciled(kc, bucketRef);
    });
    const b = await bucket;
    expect(b.code).toBe(0);
    expect(b.stderr).toContain(
      "✚ generating Bucket source\n► applying secret with the bucket credentials\n✔ authentication configured\n► applying Bucket source\n",
    );
    expect(b.stderr).not.toContain("s3cr3t-key");
    expect((await getObject(kc, bucketRef)).spec).toMatchObject({ secretRef: { name: "bucket-podinfo" } });
    expect(await decoded("bucket-podinfo")).toEqual({ accesskey: "AKID", secretkey: "s3cr3t-key" });

    const helmRef = fluxRef("HelmRepository", ns, "podinfo");
    const helm = runCli([
      "--kubeconfig",
      kubeconfig,
      "create",
      "source",
      "helm",
      "podinfo",
      "--url=https://stefanprodan.github.io/podinfo",
      "--username=bot",
      "--password=hunter2",
      "--pass-credentials",
      "-n",
      ns,
      "--timeout=30s",
    ]);
    await controller("HelmRepository", ns, "podinfo", async () => {
      await setArtifact(kc, helmRef, "sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2");
      await markReconciled(kc, helmRef);
    });
    const h = await helm;
    expect(h.code).toBe(0);
    expect(h.stderr).toContain(
      "► applying secret with repository credentials\n✔ authentication configured\n► applying HelmRepository source\n",
    );
    expect(h.stderr).not.toContain("hunter2");
    expect((await getObject(kc, helmRef)).spec).toMatchObject({
      secretRef: { name: "helm-podinfo" },
      passCredentials: true,
    });
    expect(await decoded("helm-podinfo")).toEqual({ username: "bot", password: "hunter2" });
  });
});
