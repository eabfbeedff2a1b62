// A real OpenSSH sshd (Debian's openssh-server) serving the bare repositories of a test
// git server (test/env/git-server.ts) over SSH, the way GitHub or GitLab do: user `git`,
// public-key auth only, every key restricted to git-shell and the repositories it was
// granted (a deploy key: read, or read and write).
//
//   const ssh = await startSshGitServer(git);
//   ssh.authorize("acme/fleet", "ssh-ed25519 AAAA…", "write");
//   ssh.url("acme/fleet")        // ssh://git@127.0.0.1:PORT/acme/fleet.git
//   ssh.knownHosts("ed25519")    // [127.0.0.1]:PORT ssh-ed25519 AAAA…
//   await ssh.stop();
//
// Unprivileged: sshd runs as the test's own user, or as nobody when the test runs as
// root, on a free loopback port, with its own host keys and config in a temp dir, and
// libnss_wrapper maps the login name `git` to that user (a non-root sshd only logs in
// its own uid; no system account, no /etc/ssh, no port 22). Each key's forced command
// (`serve`, a small sh script) checks the grant and execs git-shell on the repository.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { GitServer } from "./git-server.js";

export const SSHD = "/usr/sbin/sshd";
/** libnss_wrapper.so in the machine's multiarch library directory (Debian's libnss-wrapper). */
export const NSS_WRAPPER =
  ["x86_64-linux-gnu", "aarch64-linux-gnu", "."]
    .map((d) => path.join("/usr/lib", d, "libnss_wrapper.so"))
    .find((f) => existsSync(f)) ?? "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";
const NOBODY = 65534;

export type HostKeyType = "ed25519" | "ecdsa" | "rsa";
/** ssh-keygen -t, and the algorithm name a known_hosts line carries. */
const HOST_KEY_ALGORITHM: Record<HostKeyType, string> = {
  ed25519: "ssh-ed25519",
  ecdsa: "ecdsa-sha2-nistp256",
  rsa: "ssh-rsa",
};

export interface SshSession {
  /** git-upload-pack | git-receive-pack | whatever else was asked. */
  service: string;
  /** Repository path without .git, e.g. "acme/fleet". */
  repo: string;
  /** "ok", or why the request was refused. */
  outcome: "ok" | "not-found" | "read-only" | "refused";
}

export interface SshGitServer {
  host: string;
  port: number;
  /** host:port, as --ssh-hostname takes it. */
  hostPort: string;
  /** ssh://git@HOST:PORT/<repo>.git */
  url(repo: string): string;
  /** The host's public keys ("ssh-ed25519 AAAA…"), by type. */
  hostKeys: Record<HostKeyType, string>;
  /** The known_hosts line of one host key type ("[127.0.0.1]:PORT ssh-ed25519 AAAA…"). */
  knownHosts(type: HostKeyType): string;
  /** Lets the holder of `publicKey` read `repo` ("read") or also push to it ("write"). */
  authorize(repo: string, publicKey: string, access: "read" | "write"): void;
  /** Takes `publicKey`'s grant on `repo` away. */
  revoke(repo: string, publicKey: string): void;
  /** Every git request that reached the forced command, oldest first. */
  sessions(): SshSession[];
  stop(): Promise<void>;
}

export interface SshGitServerOptions {
  /** Host key types to generate and serve (default: all three). */
  hostKeyTypes?: HostKeyType[];
}

// The forced command of every key: serve <root> <log> <repo>:<read|write>...
// SSH_ORIGINAL_COMMAND is what the client asked, e.g. git-upload-pack '/acme/fleet'.
const SERVE = `#!/bin/sh
root="$1"; log="$2"; shift 2
set -f
set -- "$@" --
cmd="\${SSH_ORIGINAL_COMMAND%% *}"
arg="\${SSH_ORIGINAL_COMMAND#* }"
repo=$(printf '%s' "$arg" | sed -e "s/^'//" -e "s/'\\$//" -e 's#^/*##' -e 's#/*$##' -e 's#\\.git$##')
say() { printf '%s %s %s\\n' "$cmd" "$repo" "$1" >> "$log"; }
case "$cmd" in
  git-upload-pack|git-upload-archive) need=read ;;
  git-receive-pack) need=write ;;
  *) say refused; echo "Hi! You've successfully authenticated, but this server does not provide shell access." >&2; exit 1 ;;
esac
case "$repo" in ''|*..*|*[!A-Za-z0-9._/-]*) say not-found; echo "ERROR: Repository not found." >&2; exit 1 ;; esac
access=
while [ "$1" != -- ]; do
  [ "\${1%:*}" = "$repo" ] && access="\${1##*:}"
  shift
done
if [ -z "$access" ] || [ ! -d "$root/$repo.git" ]; then say not-found; echo "ERROR: Repository not found." >&2; exit 1; fi
if [ "$need" = write ] && [ "$access" != write ]; then
  say read-only; echo "ERROR: The key you are authenticating with has been marked as read only." >&2; exit 1
fi
say ok
# The repositories belong to the test's user; this one may be another (nobody).
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'
exec git-shell -c "$cmd '$root/$repo.git'"
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Resolves with sshd's banner once it accepts connections on the port. */
function banner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    s.setTimeout(2000);
    s.once("data", (d: Buffer) => {
      s.destroy();
      resolve(d.toString());
    });
    s.once("timeout", () => {
      s.destroy();
      reject(new Error("no banner"));
    });
    s.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const live = new Set<() => void>();
let exitHook = false;

/** Starts sshd over `git`'s repositories. */
export async function startSshGitServer(git: GitServer, opts: SshGitServerOptions = {}): Promise<SshGitServer> {
  for (const [file, pkg] of [
    [SSHD, "openssh-server"],
    [NSS_WRAPPER, "libnss-wrapper"],
  ] as const) {
    if (!existsSync(file))
      throw new Error(`${file} not found: install Debian's ${pkg} package (apt-get install ${pkg})`);
  }
  if (!process.getuid || !process.getgid) throw new Error("the ssh git server needs a POSIX system (process.getuid)");
  const asRoot = process.getuid() === 0;
  const uid = asRoot ? NOBODY : process.getuid();
  const gid = asRoot ? NOBODY : process.getgid();
  const dir = mkdtempSync(path.join(os.tmpdir(), "tsflux-sshd-"));
  const file = (name: string) => path.join(dir, name);
  const types = opts.hostKeyTypes ?? ["ed25519", "ecdsa", "rsa"];

  const hostKeys = {} as Record<HostKeyType, string>;
  for (const t of types) {
    const key = file(`ssh_host_${t}_key`);
    execFileSync("ssh-keygen", ["-q", "-t", t, ...(t === "rsa" ? ["-b", "2048"] : []), "-N", "", "-C", "", "-f", key]);
    hostKeys[t] = readFileSync(`${key}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
  }
  writeFileSync(file("serve"), SERVE, { mode: 0o755 });
  writeFileSync(file("passwd"), `git:x:${uid}:${gid}:git:${dir}:/bin/sh\n`);
  writeFileSync(file("group"), `git:x:${gid}:\n`);
  writeFileSync(file("authorized_keys"), "");
  writeFileSync(file("sessions.log"), "", { mode: 0o666 });
  if (asRoot) {
    // sshd wants its host keys owned by its user, unreadable to others.
    chmodSync(dir, 0o755);
    for (const t of types) chownSync(file(`ssh_host_${t}_key`), uid, gid);
    chmodSync(file("sessions.log"), 0o666);
  }

  // key -> repo -> access
  const grants = new Map<string, Map<string, "read" | "write">>();
  const writeAuthorizedKeys = () => {
    const lines = [...grants].flatMap(([key, repos]) => {
      if (repos.size === 0) return [];
      const args = [git.root, file("sessions.log"), ...[...repos].map(([r, a]) => `${r}:${a}`)];
      const command = [file("serve"), ...args].join(" ");
      return [`command="${command}",restrict ${key}`];
    });
    // sshd reads the file at every login: write it whole, then rename.
    writeFileSync(file("authorized_keys.new"), lines.join("\n") + (lines.length ? "\n" : ""), { mode: 0o644 });
    execFileSync("mv", ["-f", file("authorized_keys.new"), file("authorized_keys")]);
  };
  const shareRepo = (repo: string) => {
    if (!asRoot) return;
    // sshd's user (nobody) pushes into repositories the test's root user made: every
    // later write keeps them writable to it (core.sharedRepository), and the path is open.
    const bare = path.join(git.root, `${repo}.git`);
    if (!existsSync(bare)) return;
    execFileSync("git", ["config", "core.sharedRepository", "0666"], { cwd: bare, env: { ...process.env, HOME: dir } });
    execFileSync("chmod", ["-R", "a+rwX", bare]);
    for (let d = path.dirname(bare); d.startsWith(git.root); d = path.dirname(d)) {
      if ((statSync(d).mode & 0o005) !== 0o005) chmodSync(d, statSync(d).mode | 0o005);
      if (d === git.root) break;
    }
  };

  let child: ChildProcess | undefined;
  let port = 0;
  let log = "";
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    writeFileSync(
      file("sshd_config"),
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        ...types.map((t) => `HostKey ${file(`ssh_host_${t}_key`)}`),
        "PidFile none",
        `AuthorizedKeysFile ${file("authorized_keys")}`,
        "StrictModes no",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "AllowUsers git",
        "AcceptEnv GIT_PROTOCOL",
        "LogLevel VERBOSE",
        "",
      ].join("\n"),
    );
    const proc = spawn(SSHD, ["-D", "-e", "-f", file("sshd_config")], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      uid,
      gid,
      env: {
        PATH: process.env.PATH,
        LD_PRELOAD: NSS_WRAPPER,
        NSS_WRAPPER_PASSWD: file("passwd"),
        NSS_WRAPPER_GROUP: file("group"),
      },
    });
    log = "";
    proc.stdout.on("data", (d: Buffer) => (log += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      if (/Server listening on/.test(log) && (await banner(port).catch(() => "")).startsWith("SSH-2.0-")) {
        child = proc;
        break;
      }
      if (Date.now() > deadline) {
        proc.kill("SIGKILL");
        break;
      }
      await sleep(25);
    }
    // Another process took the port between the probe and the bind: try another.
    if (!child && !/Address already in use|Cannot bind/.test(log)) break;
  }
  // A child that started has a pid; without one it failed to spawn.
  const pid = child?.pid;
  if (!child || pid === undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`sshd did not start:\n${log}`);
  }
  const sshd = child;
  // A detached shell that removes everything if this process dies without stop() (SIGKILL).
  const watchdog = spawn(
    "sh",
    [
      "-c",
      'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -KILL "-$2" 2>/dev/null; rm -rf "$3"',
      "tsflux-sshd-watchdog",
      String(process.pid),
      String(pid),
      dir,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();
  const cleanupSync = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
    try {
      if (watchdog.pid) process.kill(watchdog.pid, "SIGKILL");
    } catch {
      /* gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  live.add(cleanupSync);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const c of live) c();
    });
  }

  const host = "127.0.0.1";
  const normalise = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(" ");
  return {
    host,
    port,
    hostPort: `${host}:${port}`,
    url: (repo) => `ssh://git@${host}:${port}/${repo}.git`,
    hostKeys,
    knownHosts: (t) => `[${host}]:${port} ${HOST_KEY_ALGORITHM[t]} ${hostKeys[t].split(" ")[1]}`,
    authorize(repo, publicKey, access) {
      const key = normalise(publicKey);
      if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/.test(key))
        throw new Error(`not an OpenSSH public key: ${key}`);
      shareRepo(repo);
      const repos = grants.get(key) ?? new Map<string, "read" | "write">();
      repos.set(repo, access);
      grants.set(key, repos);
      writeAuthorizedKeys();
    },
    revoke(repo, publicKey) {
      grants.get(normalise(publicKey))?.delete(repo);
      writeAuthorizedKeys();
    },
    sessions() {
      return readFileSync(file("sessions.log"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [service, repo, outcome] = line.split(" ") as [string, string, SshSession["outcome"]];
          return { service, repo, outcome };
        });
    },
    async stop() {
      if (!live.has(cleanupSync)) return;
      live.delete(cleanupSync);
      const exited = new Promise<void>((r) => sshd.once("close", () => r()));
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        /* gone */
      }
      await Promise.race([exited, sleep(3000)]);
      cleanupSync();
    },
  };
}
