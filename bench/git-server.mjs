// The bench's own git server (bench only; the tests have theirs in test/env): Debian
// git's git-http-backend as a CGI program behind a small Node HTTP server, read-only
// and without authentication, on 127.0.0.1, where the Flux controllers (host
// processes in the test environment's controllers mode) clone from.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const BACKEND = "/usr/lib/git-core/git-http-backend";

function git(cwd, args) {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: cwd,
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "bench@example.com",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "bench@example.com",
    },
  });
}

/** Serves bare repositories under a temporary directory; `stop()` removes it. */
export async function startBenchGitServer() {
  const root = mkdtempSync(path.join(os.tmpdir(), "tsflux-bench-git-"));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    // Clones and fetches only: git-upload-pack.
    if (url.searchParams.get("service") === "git-receive-pack" || url.pathname.endsWith("/git-receive-pack")) {
      req.resume();
      res.writeHead(403, { "Content-Type": "text/plain" });
      res.end("read-only\n");
      return;
    }
    const cgi = spawn(BACKEND, [], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.replace(/^\?/, ""),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        ...(req.headers["content-length"] ? { CONTENT_LENGTH: String(req.headers["content-length"]) } : {}),
        ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
        ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      },
      stdio: ["pipe", "pipe", "ignore"],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on("data", (chunk) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const sep = head.indexOf("\r\n\r\n");
      if (sep < 0) return;
      started = true;
      let status = 200;
      const headers = {};
      for (const line of head.subarray(0, sep).toString().split("\r\n")) {
        const i = line.indexOf(":");
        if (i < 0) continue;
        const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (k.toLowerCase() === "status") status = Number.parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(sep + 4));
    });
    cgi.on("close", () => {
      if (!started) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: (repo) => `${base}/${repo}.git`,
    /** Creates `repo` (bare) whose main branch holds `files`. */
    createRepo(repo, files) {
      const bare = path.join(root, `${repo}.git`);
      mkdirSync(bare, { recursive: true });
      git(bare, ["init", "--bare", "--quiet", "--initial-branch=main"]);
      const work = mkdtempSync(path.join(os.tmpdir(), "tsflux-bench-gitwork-"));
      try {
        git(work, ["init", "--quiet", "--initial-branch=main"]);
        for (const [file, content] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
          writeFileSync(path.join(work, file), content);
        }
        git(work, ["add", "--all"]);
        git(work, ["commit", "--quiet", "-m", "bench"]);
        git(work, ["push", "--quiet", bare, "HEAD:refs/heads/main"]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    async stop() {
      await new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
