// Everything a bootstrap reliability test needs, with a fault proxy in every path the
// built CLI (a child process, so it can be killed) talks over:
//
//   flux bootstrap ─► gitProxy  ─► git smart-HTTP server (git-http-backend)
//                  ─► ghProxy   ─► GitHub contract server  (its clone URLs point at gitProxy)
//                  ─► glProxy   ─► GitLab contract server  (idem)
//                  ─► kubeProxy ─► kube-apiserver
//
// The test process plays the Flux controllers (test/providers/flux-standin.ts) where a
// run is meant to finish, and reads the state back straight from the servers: commits,
// deploy keys, Secrets, readiness, and every head the branch had (so a force-push or a
// lost commit shows).
//
// With `realControllers` (the e2e project's controllers mode) nothing is played: the
// real Flux controllers reconcile what bootstrap applies, from the real install bundle,
// and a real sshd (test/env/ssh-server.ts) serves the repositories at the ssh:// URL
// bootstrap github and gitlab write (--ssh-hostname points there; ssh-keyscan is the
// real one), so source-controller clones with the deploy key.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, expect } from "vitest";
import {
  fluxRef,
  secretStrings,
  testKubeConfig,
  testKubeconfigPath,
  tryGetObject,
  uniqueName,
} from "../env/helpers.js";
import { kubeRequest } from "../env/kube.js";
import { startGitServer, type GitServer } from "../env/git-server.js";
import { startSshGitServer, type SshGitServer } from "../env/ssh-server.js";
import { realBundle } from "../fixtures/install/bundle.js";
import { crdFreeMiniBundle, runFluxStandIn } from "../providers/flux-standin.js";
import { GitHubServer } from "../providers/github-server.js";
import { GitLabServer } from "../providers/gitlab-server.js";
import { fakeSshKeyscan, startCli, type CliProcess } from "./cli-process.js";
import { startFaultProxy, startKubeFaultProxy, type FaultProxy } from "./fault-proxy.js";

export type BootstrapKind = "git" | "github" | "gitlab";
export const BOOTSTRAP_KINDS: BootstrapKind[] = ["git", "github", "gitlab"];

export const TOKEN = "rigT0ken-5f2c9a";
export const COMPONENTS = ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

export interface BootstrapTarget {
  kind: BootstrapKind;
  /** The namespace Flux is bootstrapped into (and the sync objects' name). */
  ns: string;
  /** The repository's path on the git server ("acme/fleet-1234"). */
  repo: string;
  /** `flux` arguments of the bootstrap. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface BootstrapState {
  /** Commit subjects on main, newest first. */
  messages: string[];
  files: string[];
  /** Deploy keys registered on the repository (public keys); [] for bootstrap git. */
  deployKeys: string[];
  /** Secrets in the namespace, by name. */
  secrets: string[];
  /** identity.pub of the source secret (SSH), without the comment. */
  secretKey?: string | undefined;
  /** The GitRepository and the Kustomization are Ready at the branch's head. */
  ready: boolean;
  /** States of the pull (merge) requests on the repository: "open", "merged", "closed". */
  changeRequests: string[];
}

export interface BootstrapRigOptions {
  /** The real Flux controllers run (controllers mode): no stand-in, the real bundle, a real sshd. */
  realControllers?: boolean;
}

export interface BootstrapRig {
  kc: KubeConfig;
  git: GitServer;
  /** The sshd serving the repositories (realControllers only). */
  ssh: SshGitServer | undefined;
  realControllers: boolean;
  gh: GitHubServer;
  gl: GitLabServer;
  gitProxy: FaultProxy;
  ghProxy: FaultProxy;
  glProxy: FaultProxy;
  kubeProxy: FaultProxy;
  proxies: Record<"git" | "github" | "gitlab" | "kube", FaultProxy>;
  /** A fresh repository and namespace for one bootstrap of that kind. */
  target(kind: BootstrapKind, extra?: string[]): Promise<BootstrapTarget>;
  /**
   * Starts the bootstrap; with `controllers`, the test plays the Flux controllers until it
   * ends (with realControllers the real ones always run).
   */
  start(t: BootstrapTarget, opts?: { controllers?: boolean; extra?: string[] | undefined }): CliProcess;
  state(t: BootstrapTarget): Promise<BootstrapState>;
  /** What an uninterrupted run leaves, checked on `t`. */
  expectConverged(t: BootstrapTarget): Promise<BootstrapState>;
  /** Every head the branch had was an ancestor of the next: never a force-push, never a lost commit. */
  expectFastForwardOnly(t: BootstrapTarget): void;
  /**
   * A reviewer for --pr runs: merges every open request on the target's repository as it
   * appears, until the returned function is called.
   */
  reviewer(t: BootstrapTarget): () => Promise<void>;
  /** Drops every proxy's unused rules. */
  clearFaults(): void;
  stop(): Promise<void>;
}

export async function startBootstrapRig(opts: BootstrapRigOptions = {}): Promise<BootstrapRig> {
  const real = opts.realControllers === true;
  const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-bootrig-"));
  const kc = await testKubeConfig();
  const git = await startGitServer({ username: "git", password: TOKEN });
  const ssh = real ? await startSshGitServer(git) : undefined;
  const lifetimeMs = (real ? 60 : 30) * 60_000;
  const gitProxy = await startFaultProxy({ target: git.baseUrl, lifetimeMs });
  // The contract servers hand out clone URLs through the git proxy.
  const viaProxy: GitServer = { ...git, url: (repo) => git.url(repo).replace(git.baseUrl, gitProxy.url) };
  const gh = await GitHubServer.start({
    git: viaProxy,
    ...(ssh ? { ssh } : {}),
    token: TOKEN,
    login: "octocat",
    orgs: { acme: ["platform"] },
  });
  const gl = await GitLabServer.start({
    git: viaProxy,
    ...(ssh ? { ssh } : {}),
    token: TOKEN,
    username: "jdoe",
    groups: ["acme"],
  });
  const ghProxy = await startFaultProxy({ target: gh.url, lifetimeMs });
  const glProxy = await startFaultProxy({ target: gl.url, lifetimeMs });
  const { proxy: kubeProxy, kubeconfig } = await startKubeFaultProxy(await testKubeconfigPath(), { lifetimeMs });
  const bundle = real ? await realBundle() : await crdFreeMiniBundle();
  const bin = real ? undefined : fakeSshKeyscan(path.join(work, "bin"), HOST_KEY);
  const proxies = { git: gitProxy, github: ghProxy, gitlab: glProxy, kube: kubeProxy };

  // Every head each repository's main had, in order, sampled at each git request.
  const heads = new Map<string, string[]>();
  const sample = (repo: string) => {
    const head = git.revParse(repo, "refs/heads/main");
    if (!head) return;
    const seen = heads.get(repo) ?? [];
    if (seen.at(-1) !== head) seen.push(head);
    heads.set(repo, seen);
  };
  git.onRequest = (info) => sample(info.repo);

  const standIns = new Set<AbortController>();

  const rig: BootstrapRig = {
    kc,
    git,
    ssh,
    realControllers: real,
    gh,
    gl,
    gitProxy,
    ghProxy,
    glProxy,
    kubeProxy,
    proxies,
    async target(kind, extra = []) {
      const name = uniqueName("fleet");
      const ns = uniqueName(`rb-${kind === "github" ? "gh" : kind === "gitlab" ? "gl" : "git"}`);
      const common = [
        "--kubeconfig",
        kubeconfig,
        "-n",
        ns,
        "--path=clusters/prod",
        "--manifests",
        bundle,
        // The real rollouts and reconciles take longer than the stand-in's.
        `--timeout=${real ? "3m" : "30s"}`,
        ...extra,
      ];
      const env = {
        PATH: bin ? `${bin}:${process.env.PATH}` : process.env.PATH,
        HOME: path.join(work, "home"),
        TMPDIR: work,
      };
      if (kind === "git") {
        await git.createRepo(`acme/${name}`);
        return {
          kind,
          ns,
          repo: `acme/${name}`,
          args: [
            "bootstrap",
            "git",
            `--url=${gitProxy.url}/acme/${name}.git`,
            "--allow-insecure-http",
            "--username=git",
            `--password=${TOKEN}`,
            ...common,
          ],
          env,
        };
      }
      const host = kind === "github" ? ghProxy.url : glProxy.url;
      return {
        kind,
        ns,
        repo: `acme/${name}`,
        args: [
          "bootstrap",
          kind,
          `--hostname=${host}`,
          "--owner=acme",
          `--repository=${name}`,
          ...(ssh ? [`--ssh-hostname=${ssh.hostPort}`] : []),
          ...common,
        ],
        env: { ...env, [kind === "github" ? "GITHUB_TOKEN" : "GITLAB_TOKEN"]: TOKEN },
      };
    },
    start(t, opts = {}) {
      const proc = startCli([...t.args, ...(opts.extra ?? [])], { env: t.env });
      if (opts.controllers && !real) {
        const stop = new AbortController();
        standIns.add(stop);
        const loop = runFluxStandIn(
          {
            kc,
            namespace: t.ns,
            headOf: (b) => git.revParse(t.repo, `refs/heads/${b}`),
            components: COMPONENTS,
          },
          stop.signal,
        );
        void proc.done.finally(async () => {
          stop.abort();
          await loop;
          standIns.delete(stop);
        });
      }
      return proc;
    },
    async state(t) {
      sample(t.repo);
      const [owner, name] = t.repo.split("/") as [string, string];
      const keys =
        t.kind === "github"
          ? (gh.repo(owner, name)?.keys ?? []).map((k) => k.key)
          : t.kind === "gitlab"
            ? (gl.project(t.repo)?.keys ?? []).map((k) => k.key)
            : [];
      const list = await kubeRequest<{ items: { metadata: { name: string } }[] }>(
        kc,
        "GET",
        `/api/v1/namespaces/${t.ns}/secrets`,
      );
      const data = await secretStrings(kc, t.ns, "flux-system");
      const head = git.revParse(t.repo, "refs/heads/main");
      const isReady = async (kind: "GitRepository" | "Kustomization") => {
        const obj = await tryGetObject(kc, fluxRef(kind, t.ns, t.ns));
        const st = obj?.status as
          | {
              conditions?: { type: string; status: string }[];
              artifact?: { revision?: string };
              lastAppliedRevision?: string;
            }
          | undefined;
        const revision = kind === "GitRepository" ? st?.artifact?.revision : st?.lastAppliedRevision;
        return (
          st?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true &&
          revision === `main@sha1:${head}`
        );
      };
      return {
        messages: git.log(t.repo, "main").map((c) => c.message),
        files: git.listFiles(t.repo, "main").sort(),
        deployKeys: keys,
        secrets: list.items.map((s) => s.metadata.name).sort(),
        secretKey: data?.["identity.pub"]?.trim().split(" ").slice(0, 2).join(" "),
        ready: (await isReady("GitRepository")) && (await isReady("Kustomization")),
        changeRequests:
          t.kind === "github"
            ? (gh.repo(owner, name)?.pulls ?? []).map((p) => (p.merged ? "merged" : p.state))
            : t.kind === "gitlab"
              ? (gl.project(t.repo)?.mrs ?? []).map((m) => (m.state === "opened" ? "open" : m.state))
              : [],
      };
    },
    async expectConverged(t) {
      const s = await rig.state(t);
      expect(s.messages, "one commit of each kind").toEqual([
        "Add Flux sync manifests",
        expect.stringMatching(/^Add Flux v\d+\.\d+\.\d+ component manifests$/),
        ...(t.kind === "git" ? [] : ["Initial commit"]),
      ]);
      const dir = `clusters/prod/${t.ns}`;
      expect(s.files.filter((f) => f.startsWith("clusters/"))).toEqual([
        `${dir}/gotk-components.yaml`,
        `${dir}/gotk-sync.yaml`,
        `${dir}/kustomization.yaml`,
      ]);
      expect(s.secrets, "no orphan secret").toEqual(["flux-system"]);
      if (t.kind === "git") expect(s.deployKeys).toEqual([]);
      else {
        expect(s.deployKeys, "one deploy key, the secret's").toEqual([s.secretKey]);
      }
      expect(s.ready, "GitRepository and Kustomization Ready at the head").toBe(true);
      expect(s.changeRequests, "one request, merged (--pr); none without").toEqual(
        t.args.includes("--pr") ? ["merged"] : [],
      );
      if (ssh && t.kind !== "git") {
        // source-controller fetched over SSH with the deploy key, which never pushed.
        const sessions = ssh.sessions().filter((x) => x.repo === t.repo);
        expect(sessions.some((x) => x.service === "git-upload-pack" && x.outcome === "ok")).toBe(true);
        expect(sessions.filter((x) => x.outcome !== "ok")).toEqual([]);
      }
      rig.expectFastForwardOnly(t);
      return s;
    },
    expectFastForwardOnly(t) {
      sample(t.repo);
      const seen = heads.get(t.repo) ?? [];
      const bare = path.join(git.root, `${t.repo}.git`);
      for (const [i, to] of seen.entries()) {
        const from = seen[i - 1];
        if (from === undefined) continue;
        let ff = true;
        try {
          execFileSync("git", ["merge-base", "--is-ancestor", from, to], { cwd: bare, stdio: "ignore" });
        } catch {
          ff = false;
        }
        expect(ff, `main moved from ${from} to ${to} without keeping it: a force-push`).toBe(true);
      }
    },
    reviewer(t) {
      const [owner, name] = t.repo.split("/") as [string, string];
      // Like a person: a request is merged once the bootstrap waits for it (reads it).
      const server = t.kind === "github" ? gh.http : gl.http;
      const mark = server.requests.length;
      const polled = (n: number) =>
        server.requests.slice(mark).some((r) => {
          if (r.method !== "GET") return false;
          const at = decodeURIComponent(r.path).replace(/\?.*$/, "");
          if (t.kind === "github") return at === `/repos/${t.repo}/pulls/${n}`;
          const id = gl.project(t.repo)?.id;
          return new RegExp(`/projects/(${literal(t.repo)}|${id})/merge_requests/${n}$`).test(at);
        });
      const stopped = new AbortController();
      const loop = (async () => {
        while (!stopped.signal.aborted) {
          if (t.kind === "github") {
            for (const p of gh.repo(owner, name)?.pulls ?? [])
              if (p.state === "open" && polled(p.number)) gh.mergePull(owner, name, p.number);
          } else if (t.kind === "gitlab") {
            for (const m of gl.project(t.repo)?.mrs ?? [])
              if (m.state === "opened" && polled(m.iid)) gl.mergeMr(t.repo, m.iid);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      return async () => {
        stopped.abort();
        await loop;
      };
    },
    clearFaults() {
      for (const p of Object.values(proxies)) p.clear();
    },
    async stop() {
      for (const s of standIns) s.abort();
      for (const p of Object.values(proxies)) await p.stop();
      await gh.stop();
      await gl.stop();
      await ssh?.stop();
      await git.stop();
      // The real bundle is a shared cache; the mini one is this rig's.
      if (!real) rmSync(bundle, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
  return rig;
}

/**
 * One rig for the calling test file: started in beforeAll, stopped in afterAll. The
 * returned object forwards to the rig once it has started.
 */
export function useBootstrapRig(opts: BootstrapRigOptions = {}): BootstrapRig {
  let rig: BootstrapRig | undefined;
  beforeAll(async () => {
    rig = await startBootstrapRig(opts);
  });
  afterAll(async () => {
    await rig?.stop();
  });
  return new Proxy({} as BootstrapRig, {
    get: (_, key) => {
      if (!rig) throw new Error("the bootstrap rig is used before beforeAll started it");
      return Reflect.get(rig, key) as unknown;
    },
  });
}

/** The text, matched literally in a RegExp. */
export const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Requests to the target's repository on the git server whose path after `.git/` matches `rest`. */
export const gitPath = (t: BootstrapTarget, rest: string): RegExp => new RegExp(`^/${literal(t.repo)}\\.git/${rest}`);
