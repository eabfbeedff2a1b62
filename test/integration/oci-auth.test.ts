// Registry authentication against real registries: htpasswd basic auth behind TLS
// (own CA), and the Docker token flow with a local token server; credentials from
// --creds, the Docker config, a credential helper and an identity (refresh) token.
// No output may ever contain a password.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullArtifact, pushArtifact } from "../../src/oci/artifact.js";
import { resolveKeychain } from "../../src/oci/auth.js";
import { parseArtifactUrl } from "../../src/oci/reference.js";
import { startRegistry, type TestRegistry } from "../env/registry.js";
import { must } from "../support/must.js";
import { stopAfterAll } from "../support/teardown.js";

const ROOT = path.resolve(__dirname, "../..");
const FLUX = path.join(ROOT, "bin", "flux.js");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function flux(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FLUX, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? 1 : 0, stdout, stderr });
      },
    );
  });
}

let basic: TestRegistry; // htpasswd + TLS
let token: TestRegistry; // token flow, plain HTTP on loopback
let anon: TestRegistry; // token flow, anonymous pull allowed
let work: string;
let src: string;
const stopLater = stopAfterAll();

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, "dist", "cli", "entry.cjs")))
    throw new Error("run `npm run build` before the integration tests");
  [basic, token, anon] = await Promise.all([
    startRegistry({ auth: "htpasswd", tls: true, password: "s3cr3t-basic-pw" }).then(stopLater),
    startRegistry({ auth: "token", password: "s3cr3t-token-pw", refreshToken: "s3cr3t-refresh-token" }).then(stopLater),
    startRegistry({ auth: "token", password: "s3cr3t-anon-pw", anonymousActions: ["pull"] }).then(stopLater),
  ]);
  work = await mkdtemp(path.join(os.tmpdir(), "tsflux-oci-auth-"));
  src = path.join(work, "src");
  await mkdir(src);
  await writeFile(path.join(src, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const SECRETS = ["s3cr3t-basic-pw", "s3cr3t-token-pw", "s3cr3t-anon-pw", "s3cr3t-refresh-token", "czNjcjN0"];
function expectNoSecrets(r: CliResult): void {
  for (const s of SECRETS) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
}

async function dockerConfig(name: string, config: unknown): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "config.json"), JSON.stringify(config));
  return dir;
}

const emptyHome = () => ({ HOME: path.join(work, "nohome"), DOCKER_CONFIG: path.join(work, "nodocker") });

describe("basic auth (htpasswd) over TLS", () => {
  it("verifies TLS: an unknown CA is refused, with one clear line", async () => {
    const r = await flux(
      [
        "push",
        "artifact",
        `oci://${basic.host}/app:v1`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--creds",
        `flux:${basic.password}`,
      ],
      emptyHome(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n").pop()).toBe(
      `✗ pushing artifact failed: cannot reach registry ${basic.host}: TLS certificate verification failed: unknown certificate authority`,
    );
    expectNoSecrets(r);
  });

  it("accepts an unverified certificate only with --insecure-registry", async () => {
    const r = await flux(
      ["list", "artifacts", `oci://${basic.host}/nothing`, "--creds", `flux:${basic.password}`, "--insecure-registry"],
      emptyHome(),
    );
    // TLS was accepted (no CA given): the registry itself answered.
    expect(r.stderr).toBe(
      `► logging in to registry with credentials\n✗ listing tags failed: listing tags of ${basic.host}/nothing: NAME_UNKNOWN: repository name not known to registry\n`,
    );
    expectNoSecrets(r);
  });

  it("answers 401 without credentials and with a wrong password", async () => {
    const env = { ...emptyHome(), NODE_EXTRA_CA_CERTS: must(basic.caFile, "the TLS registry's CA file") };
    const none = await flux(
      ["push", "artifact", `oci://${basic.host}/app:v1`, "--path", src, "--source", "s", "--revision", "r"],
      env,
    );
    expect(none.code).toBe(1);
    expect(none.stderr.trimEnd().split("\n").pop()).toMatch(
      /^✗ pushing artifact failed: HEAD 127\.0\.0\.1:\d+\/app@sha256:[a-f0-9]{64}: UNAUTHORIZED: authentication required$/,
    );
    const wrong = await flux(["list", "artifacts", `oci://${basic.host}/app`, "--creds", "flux:not-the-password"], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      `► logging in to registry with credentials\n✗ listing tags failed: listing tags of ${basic.host}/app: UNAUTHORIZED: authentication required\n`,
    );
    expectNoSecrets(wrong);
  });

  it("pushes with --creds and reads with the Docker config and a credential helper", async () => {
    const env = { ...emptyHome(), NODE_EXTRA_CA_CERTS: must(basic.caFile, "the TLS registry's CA file") };
    const push = await flux(
      [
        "push",
        "artifact",
        `oci://${basic.host}/app:v1`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--creds",
        `flux:${basic.password}`,
        "--verbose",
        "--debug",
      ],
      env,
    );
    expect(push.code).toBe(0);
    expect(push.stderr).toContain("► logging in to registry with credentials\n");
    expect(push.stderr).toContain(`✔ artifact successfully pushed to ${basic.host}/app@sha256:`);
    expectNoSecrets(push);

    const auth = Buffer.from(`flux:${basic.password}`).toString("base64");
    const cfg = await dockerConfig("docker-basic", { auths: { [`https://${basic.host}`]: { auth } } });
    const list = await flux(["list", "artifacts", `oci://${basic.host}/app`], { ...env, DOCKER_CONFIG: cfg });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${basic.host}/app:v1`);
    expectNoSecrets(list);

    const bin = path.join(work, "bin");
    await mkdir(bin, { recursive: true });
    const helper = path.join(bin, "docker-credential-tsfluxtest");
    await writeFile(
      helper,
      `#!/bin/sh\nread server\nif [ "$server" = "${basic.host}" ]; then printf '{"ServerURL":"%s","Username":"flux","Secret":"${basic.password}"}' "$server"; else echo "credentials not found in native keychain"; exit 1; fi\n`,
    );
    await chmod(helper, 0o755);
    const helperCfg = await dockerConfig("docker-helper", { credHelpers: { [basic.host]: "tsfluxtest" } });
    const out = path.join(work, "pulled-helper");
    await mkdir(out);
    const pull = await flux(["pull", "artifact", `oci://${basic.host}/app:v1`, "-o", out], {
      ...env,
      DOCKER_CONFIG: helperCfg,
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(pull.code).toBe(0);
    expect(await readFile(path.join(out, "cm.yaml"), "utf8")).toContain("kind: ConfigMap");
    expectNoSecrets(pull);

    // --provider relies on the provider's credential helper from the Docker config.
    const provider = await flux(["list", "artifacts", `oci://${basic.host}/app`, "--provider", "aws"], {
      ...env,
      DOCKER_CONFIG: helperCfg,
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(provider.code).toBe(0);
    expect(provider.stderr).toBe("► logging in to registry with provider credentials\n");
    expect(provider.stdout).toContain(`${basic.host}/app:v1`);
    const noHelper = await flux(["list", "artifacts", `oci://${basic.host}/app`, "--provider", "gcp"], env);
    expect(noHelper.code).toBe(1);
    expect(noHelper.stderr).toBe(
      `► logging in to registry with provider credentials\n✗ error during login with provider: no gcp credentials for ${basic.host}: configure the docker-credential-gcloud helper in the Docker config, or use --creds\n`,
    );
  });

  it("works as a library with an explicit CA", async () => {
    const { url, ref } = parseArtifactUrl(`oci://${basic.host}/lib/app:v2`);
    const creds = { username: "flux", password: basic.password };
    const pushed = await pushArtifact(ref, src, { source: "s", revision: "r", credentials: creds, ca: basic.caCert });
    const out = path.join(work, "pulled-lib");
    await mkdir(out);
    const pulled = await pullArtifact(ref, url, out, { credentials: creds, ca: basic.caCert });
    expect(pulled.digest).toBe(pushed.digestUrl);
    await expect(pullArtifact(ref, url, out, { credentials: creds })).rejects.toThrow(/unknown certificate authority/);
  });
});

// The tests after the first tag and pull the artifact the first one pushes: they keep
// this order under --sequence.shuffle.
describe("token flow", { shuffle: false }, () => {
  it("exchanges --creds for a scoped token and pushes", async () => {
    const before = token.tokenRequests.length;
    const r = await flux(
      [
        "push",
        "artifact",
        `oci://${token.host}/team/app:v1`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--creds",
        `flux:${token.password}`,
        "--insecure-registry",
      ],
      emptyHome(),
    );
    expect(r.code).toBe(0);
    expectNoSecrets(r);
    const reqs = token.tokenRequests.slice(before);
    expect(reqs.length).toBeGreaterThan(0);
    expect(reqs.every((q) => q.user === "flux" && q.service === "tsflux-test-registry")).toBe(true);
    expect(reqs.some((q) => q.scope.includes("repository:team/app:pull,push"))).toBe(true);
  });

  it("is denied anonymously and with a wrong password", async () => {
    const anonPush = await flux(
      [
        "push",
        "artifact",
        `oci://${token.host}/team/app:v2`,
        "--path",
        src,
        "--source",
        "s",
        "--revision",
        "r",
        "--insecure-registry",
      ],
      emptyHome(),
    );
    expect(anonPush.code).toBe(1);
    expect(anonPush.stderr.trimEnd().split("\n").pop()).toMatch(
      /^✗ pushing artifact failed: HEAD 127\.0\.0\.1:\d+\/team\/app@sha256:[a-f0-9]{64}: UNAUTHORIZED: authentication required$/,
    );
    const wrong = await flux(
      [
        "tag",
        "artifact",
        `oci://${token.host}/team/app:v1`,
        "--tag",
        "x",
        "--creds",
        "flux:wrong",
        "--insecure-registry",
      ],
      emptyHome(),
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trimEnd().split("\n").pop()).toBe(
      `✗ tagging artifact failed: ${token.host}: UNAUTHORIZED: the token server at ${new URL(token.url).hostname}:${wrong.stderr.match(/token server at [^:]+:(\d+)/)?.[1]} rejected the credentials (HTTP 401)`,
    );
  });

  it("uses an identity token from the Docker config (OAuth2 refresh grant)", async () => {
    const cfg = await dockerConfig("docker-identity", {
      auths: { [token.host]: { identitytoken: "s3cr3t-refresh-token" } },
    });
    const before = token.tokenRequests.length;
    const r = await flux(
      ["tag", "artifact", `oci://${token.host}/team/app:v1`, "--tag", "latest", "--insecure-registry"],
      { ...emptyHome(), DOCKER_CONFIG: cfg },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`► tagging artifact\n✔ artifact tagged as ${token.host}/team/app:latest\n`);
    const used = token.tokenRequests.slice(before);
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((q) => q.method === "POST" && q.grant === "refresh_token")).toBe(true);
    expectNoSecrets(r);

    // The verbose trace shows requests, never tokens (JWTs start with "eyJ").
    const verbose = await flux(
      ["list", "artifacts", `oci://${token.host}/team/app`, "--insecure-registry", "--verbose"],
      { ...emptyHome(), DOCKER_CONFIG: cfg },
    );
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain(`GET http://${token.host}/v2/team/app/tags/list?n=1000 -> 200`);
    expect(verbose.stderr).not.toContain("eyJ");
    expectNoSecrets(verbose);
  });

  it("pulls anonymously where the token server allows it, but cannot push", async () => {
    const { ref } = parseArtifactUrl(`oci://${anon.host}/pub/app:v1`);
    await pushArtifact(ref, src, {
      source: "s",
      revision: "r",
      credentials: { username: "flux", password: anon.password },
      insecure: true,
    });
    const out = path.join(work, "pulled-anon");
    await mkdir(out);
    const pull = await flux(
      ["pull", "artifact", `oci://${anon.host}/pub/app:v1`, "-o", out, "--insecure-registry"],
      emptyHome(),
    );
    expect(pull.code).toBe(0);
    expect(anon.tokenRequests.some((q) => q.user === undefined && q.scope.includes("repository:pub/app:pull"))).toBe(
      true,
    );
    const list = await flux(
      ["list", "artifacts", `oci://${anon.host}/pub/app`, "-o", "json", "--insecure-registry"],
      emptyHome(),
    );
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    const push = await flux(
      ["tag", "artifact", `oci://${anon.host}/pub/app:v1`, "--tag", "nope", "--insecure-registry"],
      emptyHome(),
    );
    expect(push.code).toBe(1);
    expect(push.stderr).toContain("UNAUTHORIZED");
  });
});

describe("keychain", () => {
  it("prefers credHelpers, then credsStore, then auths; Docker Hub uses its legacy key", async () => {
    const cfg = await dockerConfig("docker-keychain", {
      auths: {
        "https://index.docker.io/v1/": { auth: Buffer.from("hubuser:hubpass").toString("base64") },
        "registry.example.com": { username: "u", password: "p" },
      },
      credHelpers: { "helper.example.com": "fake" },
    });
    const env = { DOCKER_CONFIG: cfg, HOME: work };
    expect(await resolveKeychain("index.docker.io", { env })).toEqual({ username: "hubuser", password: "hubpass" });
    expect(await resolveKeychain("registry.example.com", { env })).toEqual({ username: "u", password: "p" });
    expect(await resolveKeychain("other.example.com", { env })).toBeUndefined();
    const runHelper = (helper: string, server: string) =>
      Promise.resolve(JSON.stringify({ Username: "<token>", Secret: `${helper}-${server}` }));
    expect(await resolveKeychain("helper.example.com", { env, runHelper })).toEqual({
      identityToken: "fake-helper.example.com",
    });

    // credsStore answers for every registry; "not found" falls through to auths.
    const store = await dockerConfig("docker-store", {
      credsStore: "desktop",
      auths: { "http://plain.example.com/v2/": { username: "a", password: "b" } },
    });
    const storeEnv = { DOCKER_CONFIG: store, HOME: work };
    const desktop = (helper: string, server: string) =>
      Promise.resolve(
        server === "store.example.com"
          ? JSON.stringify({ Username: "su", Secret: `${helper}-secret` })
          : "ERROR:not found",
      );
    expect(await resolveKeychain("store.example.com", { env: storeEnv, runHelper: desktop })).toEqual({
      username: "su",
      password: "desktop-secret",
    });
    expect(await resolveKeychain("plain.example.com", { env: storeEnv, runHelper: desktop })).toEqual({
      username: "a",
      password: "b",
    });
    // Without DOCKER_CONFIG, ~/.docker/config.json is read.
    await mkdir(path.join(work, "home2", ".docker"), { recursive: true });
    await writeFile(
      path.join(work, "home2", ".docker", "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { auth: Buffer.from("gh:tok").toString("base64") } } }),
    );
    expect(await resolveKeychain("ghcr.io", { env: { HOME: path.join(work, "home2") } })).toEqual({
      username: "gh",
      password: "tok",
    });
    // A broken config is one clear error.
    const broken = path.join(work, "docker-broken");
    await mkdir(broken);
    await writeFile(path.join(broken, "config.json"), "{not json");
    await expect(resolveKeychain("ghcr.io", { env: { DOCKER_CONFIG: broken } })).rejects.toThrow(
      `cannot parse the Docker config file ${path.join(broken, "config.json")}: invalid JSON`,
    );
  });
});
