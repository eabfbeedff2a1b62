// A real smart-HTTP git server for tests: Debian git's git-http-backend run as a
// CGI program behind a small Node HTTP server with Basic auth.
//
//   const srv = await startGitServer({ username: "git", password: "s3cret" });
//   await srv.createRepo("org/fleet", { files: { "README.md": "hi\n" } });
//   srv.url("org/fleet")           // http://127.0.0.1:PORT/org/fleet.git
//   srv.readFile("org/fleet", "main", "clusters/x/flux-system/gotk-sync.yaml")
//   await srv.stop();
//
// Hooks let tests act between protocol steps (e.g. move the remote while a
// client is pushing) and count requests.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitServerOptions {
  /** Basic auth credentials; when unset, no auth is required. */
  username?: string;
  password?: string;
  /** Accept any of these passwords too (e.g. several tokens). */
  extraPasswords?: string[];
  /** Accept `Authorization: Bearer <token>` with any of these tokens too. */
  bearerTokens?: string[];
  /** Serve https with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
}

export interface GitRequestInfo {
  method: string;
  /** Repository path without .git, e.g. "org/fleet". */
  repo: string;
  /** "git-upload-pack" | "git-receive-pack" */
  service: string;
  /** "advertise" for GET info/refs, "rpc" for the POST. */
  phase: "advertise" | "rpc";
  authorized: boolean;
}

export interface GitServer {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** Directory holding the bare repositories. */
  root: string;
  /** Clone URL of a repository (no credentials). */
  url(repo: string): string;
  /** Clone URL with credentials embedded. */
  authUrl(repo: string): string;
  /** Creates a bare repository; optionally with a first commit on `branch` holding `files`. */
  createRepo(repo: string, init?: { branch?: string; files?: Record<string, string>; message?: string }): Promise<void>;
  repoExists(repo: string): boolean;
  /** Commits files to a branch directly in the bare repository (a "someone else pushed"). */
  commitFiles(repo: string, branch: string, files: Record<string, string>, message?: string): string;
  /** Contents of a file at a ref, or undefined. */
  readFile(repo: string, ref: string, file: string): string | undefined;
  /** Commit id a ref points at, or undefined. */
  revParse(repo: string, ref: string): string | undefined;
  /** Commit subjects (+ bodies) of a ref, newest first. */
  log(repo: string, ref: string): { sha: string; message: string; author: string }[];
  /** Paths in the tree of a ref. */
  listFiles(repo: string, ref: string): string[];
  /** Branch names. */
  branches(repo: string): string[];
  /** Every request the server received. */
  requests: GitRequestInfo[];
  /** The next `count` authorized requests answer `status` (default 503) without reaching git. */
  failNext(count: number, status?: number): void;
  /** Called before a request is served; may be async (e.g. to move the remote). */
  onRequest?: ((info: GitRequestInfo) => void | Promise<void>) | undefined;
  stop(): Promise<void>;
}

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: cwd,
      GIT_AUTHOR_NAME: "Someone Else",
      GIT_AUTHOR_EMAIL: "someone@example.com",
      GIT_COMMITTER_NAME: "Someone Else",
      GIT_COMMITTER_EMAIL: "someone@example.com",
      ...env,
    },
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export async function startGitServer(opts: GitServerOptions & { port?: number } = {}): Promise<GitServer> {
  if (!existsSync(GIT_HTTP_BACKEND)) {
    throw new Error(`${GIT_HTTP_BACKEND} not found: install Debian's git package (apt-get install git)`);
  }
  const root = mkdtempSync(path.join(os.tmpdir(), "tsflux-gitserver-"));
  const requests: GitRequestInfo[] = [];
  const faults = { count: 0, status: 503 };
  const passwords = new Set([opts.password ?? "", ...(opts.extraPasswords ?? [])]);

  const checkAuth = (header: string | undefined): string | undefined => {
    if (opts.username === undefined) return "anonymous";
    if (header?.startsWith("Bearer ")) return opts.bearerTokens?.includes(header.slice(7)) ? "bearer" : undefined;
    if (!header?.startsWith("Basic ")) return undefined;
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const i = decoded.indexOf(":");
    const user = decoded.slice(0, i);
    const pass = decoded.slice(i + 1);
    return user === opts.username && passwords.has(pass) ? user : undefined;
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(err));
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, listener)
    : http.createServer(listener);

  const self: GitServer = {
    baseUrl: "",
    root,
    requests,
    failNext(count, status = 503) {
      faults.count = count;
      faults.status = status;
    },
    url: (repo) => `${self.baseUrl}/${repo}.git`,
    authUrl: (repo) => {
      const u = new URL(self.url(repo));
      if (opts.username !== undefined) {
        u.username = encodeURIComponent(opts.username);
        u.password = encodeURIComponent(opts.password ?? "");
      }
      return u.toString();
    },
    createRepo(repo, init) {
      // git runs synchronously here; a failure still reaches the caller as a rejected promise.
      return new Promise<void>((resolve) => {
        const dir = path.join(root, `${repo}.git`);
        mkdirSync(dir, { recursive: true });
        git(dir, ["init", "--bare", "--quiet", `--initial-branch=${init?.branch ?? "main"}`]);
        git(dir, ["config", "http.receivepack", "true"]);
        if (init?.files) self.commitFiles(repo, init.branch ?? "main", init.files, init.message ?? "Initial commit");
        resolve();
      });
    },
    repoExists: (repo) => existsSync(path.join(root, `${repo}.git`)),
    commitFiles(repo, branch, files, message = "Commit by someone else") {
      const bare = path.join(root, `${repo}.git`);
      const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-gitwork-"));
      try {
        const parent = self.revParse(repo, `refs/heads/${branch}`);
        git(work, ["init", "--quiet", `--initial-branch=${branch}`]);
        if (parent) {
          git(work, ["fetch", "--quiet", bare, `refs/heads/${branch}:refs/remotes/origin/${branch}`]);
          git(work, ["checkout", "--quiet", "-B", branch, `origin/${branch}`]);
        }
        for (const [file, content] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
          writeFileSync(path.join(work, file), content);
        }
        git(work, ["add", "--all"]);
        git(work, ["commit", "--quiet", "-m", message]);
        git(work, ["push", "--quiet", bare, `HEAD:refs/heads/${branch}`]);
        return git(work, ["rev-parse", "HEAD"]).trim();
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    readFile(repo, ref, file) {
      try {
        return git(path.join(root, `${repo}.git`), ["show", `${ref}:${file}`]);
      } catch {
        return undefined;
      }
    },
    revParse(repo, ref) {
      try {
        return git(path.join(root, `${repo}.git`), ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).trim();
      } catch {
        return undefined;
      }
    },
    log(repo, ref) {
      if (!self.revParse(repo, ref)) return [];
      const out = git(path.join(root, `${repo}.git`), ["log", "--format=%H%x00%an <%ae>%x00%B%x1e", ref]);
      return out
        .split("\x1e")
        .map((s) => s.replace(/^\n/, ""))
        .filter((s) => s.length > 0)
        .map((s) => {
          const [sha, author, message] = s.split("\x00");
          if (sha === undefined || author === undefined || message === undefined)
            throw new Error(`unexpected git log record: ${JSON.stringify(s)}`);
          return { sha, author, message: message.replace(/\n+$/, "") };
        });
    },
    listFiles(repo, ref) {
      if (!self.revParse(repo, ref)) return [];
      return git(path.join(root, `${repo}.git`), ["ls-tree", "-r", "--name-only", ref])
        .split("\n")
        .filter(Boolean);
    },
    branches(repo) {
      return git(path.join(root, `${repo}.git`), ["for-each-ref", "--format=%(refname:short)", "refs/heads"])
        .split("\n")
        .filter(Boolean);
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      rmSync(root, { recursive: true, force: true });
    },
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const repo = /^\/(.+?)\.git(\/.*)$/.exec(url.pathname)?.[1];
    const service =
      url.searchParams.get("service") ?? (/\/(git-upload-pack|git-receive-pack)$/.exec(url.pathname)?.[1] || "");
    const user = checkAuth(req.headers.authorization);
    const info: GitRequestInfo = {
      method: req.method ?? "GET",
      repo: repo ?? "",
      service,
      phase: url.pathname.endsWith("/info/refs") ? "advertise" : "rpc",
      authorized: user !== undefined,
    };
    requests.push(info);
    if (!user) {
      req.resume();
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="tsflux test git"', "Content-Type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    if (repo === undefined || !self.repoExists(repo)) {
      req.resume();
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("repository not found\n");
      return;
    }
    if (faults.count > 0) {
      faults.count--;
      req.resume();
      res.writeHead(faults.status, { "Content-Type": "text/plain" });
      res.end("temporarily unavailable\n");
      return;
    }
    await self.onRequest?.(info);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: root,
      PATH_INFO: url.pathname,
      REQUEST_METHOD: req.method ?? "GET",
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_PROTOCOL: "HTTP/1.1",
    };
    if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
    if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
    if (req.headers["git-protocol"]) env.GIT_PROTOCOL = String(req.headers["git-protocol"]);
    const cgi = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "pipe"] });
    req.pipe(cgi.stdin);
    let stderr = "";
    cgi.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let sep = head.indexOf("\r\n\r\n");
      let sepLen = 4;
      if (sep < 0) {
        sep = head.indexOf("\n\n");
        sepLen = 2;
      }
      if (sep < 0) return;
      headersDone = true;
      const lines = head.subarray(0, sep).toString("utf8").split(/\r?\n/);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(":");
        if (i < 0) continue;
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === "status") status = Number.parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(sep + sepLen));
    });
    await new Promise<void>((resolve) => {
      cgi.on("close", (code) => {
        if (!headersDone) {
          res.writeHead(500, { "Content-Type": "text/plain" });
          res.end(`git-http-backend failed (${code}): ${stderr}`);
        } else {
          res.end();
        }
        resolve();
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  self.baseUrl = `${opts.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}

// Run directly (see docs/bootstrap.md) to serve repositories for a manual bootstrap:
//   npx esbuild test/env/git-server.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=node_modules/.cache/git-server.mjs
//   node node_modules/.cache/git-server.mjs fleet-infra
// Credentials: TSFLUX_GIT_USERNAME (default "git") / TSFLUX_GIT_PASSWORD (default
// "secret"); port: TSFLUX_GIT_PORT (default 8081). Ctrl-C stops it and removes the data.
async function serveFromCommandLine(): Promise<void> {
  const username = process.env.TSFLUX_GIT_USERNAME ?? "git";
  const password = process.env.TSFLUX_GIT_PASSWORD ?? "secret";
  const srv = await startGitServer({ username, password, port: Number(process.env.TSFLUX_GIT_PORT ?? 8081) });
  const repos = process.argv.slice(2);
  for (const repo of repos.length ? repos : ["fleet-infra"]) {
    await srv.createRepo(repo);
    process.stdout.write(`URL=${srv.url(repo)}\n`);
  }
  process.stderr.write(`[git-server] serving ${srv.root} at ${srv.baseUrl} (user ${username}); Ctrl-C to stop\n`);
  const stop = () => void srv.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  void serveFromCommandLine();
}
