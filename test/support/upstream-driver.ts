// Runs upstream flux's command-line test cases (upstream-cases.ts) against tsflux the
// way upstream's harness does (cmd/flux/main_test.go): arguments split by shellwords,
// stdout and stderr captured in one buffer, objects created then their status updated,
// goldens rendered with the test's template values. Differences between upstream's
// harness and the real binary are listed in HARNESS_DIFFERENCES and README.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import {
  ContentType,
  applyYaml,
  createNamespace,
  discoverResource,
  eventually,
  isStatus,
  kubeRequest,
  resourcePath,
  tryGetObject,
  updateStatus,
  type KubeObject,
} from "../env/helpers.js";
import { normalizeSecret } from "../../src/diff/kustomization.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { UPSTREAM_ROOT, renderTemplate } from "./golden.js";
import { must } from "./must.js";
import { caseId, type NotDrivenReason, type UpstreamCase, type UpstreamGroup } from "./upstream-cases.js";

export const TESTDATA_DIR = UPSTREAM_ROOT;
/** tsflux's own list (not upstream testdata, so it lives apart from test/golden/upstream). */
export const NOT_DRIVEN_FILE = resolve(__dirname, "../fixtures/upstream-not-driven.txt");

/**
 * Where upstream's test harness differs from the real flux binary, tsflux follows the
 * binary, and the expected output is upstream's golden with these exact line edits.
 * resetCmdArgs (cmd/flux/main_test.go) assigns zero-value flag structs after every run
 * (`createArgs = createFlags{}`, `sourceOCIRepositoryArgs = sourceOCIRepositoryFlags{}`),
 * which wipes the defaults that init() bound to the flags: later runs that do not pass
 * the flag see 0s / "" where the binary uses --interval=1m0s / --provider=generic.
 * README's "Differences from upstream" lists the same cases.
 */
const ZEROED_INTERVAL: [string, string] = ["  interval: 0s\n", "  interval: 1m0s\n"];
const OCI_PROVIDER = (interval: string): [string, string] => [
  `  interval: ${interval}\n`,
  `  interval: ${interval}\n  provider: generic\n`,
];
const INTERVAL_REASON = "harness zeroes createArgs: --interval default 1m0s reads as 0s";
const PROVIDER_REASON = "harness zeroes sourceOCIRepositoryArgs: --provider default generic reads as empty";
export const HARNESS_DIFFERENCES: Record<string, { reason: string; edits: [string, string][] }> = {
  "create_source_chart_test.go:TestCreateSourceChart/basic chart": {
    reason: INTERVAL_REASON,
    edits: [ZEROED_INTERVAL],
  },
  "create_source_chart_test.go:TestCreateSourceChart/chart with basic signature verification": {
    reason: INTERVAL_REASON,
    edits: [ZEROED_INTERVAL],
  },
  "create_source_chart_test.go:TestCreateSourceChart/chart with complete signature verification": {
    reason: INTERVAL_REASON,
    edits: [ZEROED_INTERVAL],
  },
  ...Object.fromEntries(
    [
      "verify issuer specified but subject missing",
      "all verify fields set",
      "verify subject specified but issuer missing",
    ].map((name) => [
      `create_source_oci_test.go:TestCreateSourceOCI/${name}`,
      { reason: `${INTERVAL_REASON}; ${PROVIDER_REASON}`, edits: [ZEROED_INTERVAL, OCI_PROVIDER("1m0s")] },
    ]),
  ),
  ...Object.fromEntries(
    ["export manifest", "export manifest with secret", "export manifest with verify secret"].map((name) => [
      `create_source_oci_test.go:TestCreateSourceOCI/${name}`,
      { reason: PROVIDER_REASON, edits: [OCI_PROVIDER("10m0s")] },
    ]),
  ),
  // spec fields print in the struct's (alphabetical) order: provider comes after layerSelector
  "create_source_oci_test.go:TestCreateSourceOCI/export manifest with layer selector": {
    reason: PROVIDER_REASON,
    edits: [["    operation: copy\n", "    operation: copy\n  provider: generic\n"]],
  },
};

/** Upstream's golden with a harness difference's edits; each edit must apply exactly once. */
export function applyHarnessEdits(id: string, golden: string, edits: [string, string][]): string {
  let text = golden;
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2)
      throw new Error(`${id}: harness edit ${JSON.stringify(from)} does not apply once`);
    text = text.replace(from, to);
  }
  return text;
}

/** mattn/go-shellwords as upstream's executeCommand uses it: quotes and backslashes, no expansion. */
export function shellwords(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length) cur += line.charAt(++i);
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      cur += line.charAt(++i);
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = "";
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (started) out.push(cur);
  return out;
}

/** The checked-in list of upstream cases not driven byte for byte (id → reason). */
export function readNotDriven(): Map<string, { reason: NotDrivenReason; note: string }> {
  const list = new Map<string, { reason: NotDrivenReason; note: string }>();
  for (const raw of readFileSync(NOT_DRIVEN_FILE, "utf8").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(missing-command|e2e|go-internal|failing|deliberate)\s+(.+?)(?:\s+#\s*(.*))?$/.exec(line);
    if (!m) throw new Error(`upstream-not-driven.txt: cannot read line: ${raw}`);
    const [, reason, id, note = ""] = m;
    list.set(must(id, `a case id in: ${raw}`), { reason: reason as NotDrivenReason, note });
  }
  return list;
}

export interface GroupContext {
  tmpl: Record<string, string>;
  files: Record<string, string>;
  kc?: KubeConfig | undefined;
  registry?: string | undefined;
  cleanup: () => void;
}

function allocateNamespace(key: string): string {
  const prefix = key === "fluxns" ? "flux-system" : key === "ns" ? "podinfo" : key;
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** Sets up what upstream's test function sets up before its cases. */
export async function prepareGroup(g: UpstreamGroup, kc?: KubeConfig, registry?: string): Promise<GroupContext> {
  const tmpl: Record<string, string> = {};
  for (const key of g.namespaces ?? []) tmpl[key] = allocateNamespace(key);
  const dir = mkdtempSync(join(tmpdir(), "tsflux-upstream-"));
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(g.files ?? {})) {
    // Each name in its own directory keeps its base name (os.Create(filepath.Join(t.TempDir(), name))).
    const path = join(dir, name.includes("/") ? "" : `f${Object.keys(files).length}`, name);
    if (content === null) mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, renderTemplate(content, tmpl));
    }
    if ((g.executables ?? []).includes(name)) chmodSync(path, 0o755);
    files[name] = path;
    const [top = name] = name.split("/");
    if (name.includes("/")) files[top] = join(dir, top);
  }
  const ctx: GroupContext = { tmpl, files, kc, registry, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  if (g.cluster && kc) {
    // check_test.go renders the server's version (gitVersion without the v) into its golden.
    const version = await kubeRequest<{ gitVersion: string }>(kc, "GET", "/version");
    tmpl.serverVersion = version.gitVersion.replace(/^v/, "");
    for (const key of g.createNamespaces ?? []) await createNamespace(kc, tmpl[key]);
    for (const file of g.objects ?? []) await createObjectFile(kc, file, tmpl);
  }
  return ctx;
}

function parseObjects(file: string, tmpl: Record<string, string>): KubeObject[] {
  const text = renderTemplate(readFileSync(resolve(TESTDATA_DIR, file), "utf8"), tmpl);
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === "object" && "kind" in o);
}

/** testEnvKubeManager.CreateObjectFile: create each object, then update its status from the file. */
export async function createObjectFile(kc: KubeConfig, file: string, tmpl: Record<string, string>): Promise<void> {
  for (const obj of parseObjects(file, tmpl)) {
    const info = await discoverResource(
      kc,
      must(obj.apiVersion, `apiVersion in ${file}`),
      must(obj.kind, `kind in ${file}`),
    );
    const ns = info.namespaced ? (obj.metadata.namespace ?? "default") : undefined;
    const ref = { ...info, namespace: ns };
    const created = await kubeRequest<KubeObject>(kc, "POST", resourcePath(ref), { body: obj });
    if (!obj.status) continue;
    try {
      await kubeRequest(kc, "PUT", resourcePath({ ...ref, name: obj.metadata.name, subresource: "status" }), {
        body: { ...obj, metadata: { ...obj.metadata, resourceVersion: created.metadata.resourceVersion } },
        contentType: ContentType.JSON,
      });
    } catch (err) {
      // Updating the status of objects without a status subresource gives 404 (as upstream).
      if (!isStatus(err, 404)) throw err;
    }
  }
}

/**
 * diff_kustomization_test.go: resourceManager.ApplyAll(objects) before, DeleteObjectFile after.
 * The test's resource manager is flux's (build.Builder.Manager): it applies as field manager
 * kustomize-controller, the manager the diff's dry-run applies as, so the dry-run may drop
 * what the test applied (a list entry, a data key).
 */
async function applyObjectFile(
  kc: KubeConfig,
  file: string,
  tmpl: Record<string, string>,
): Promise<() => Promise<void>> {
  const objs = parseObjects(file, tmpl);
  for (const obj of objs) normalizeSecret(obj); // createObjectFromFile's normalize.UnstructuredList
  await applyYaml(kc, objs, undefined, "kustomize-controller");
  return async () => {
    for (const obj of objs) {
      const info = await discoverResource(
        kc,
        must(obj.apiVersion, `apiVersion in ${file}`),
        must(obj.kind, `kind in ${file}`),
      );
      const ns = info.namespaced ? (obj.metadata.namespace ?? "default") : undefined;
      try {
        await kubeRequest(kc, "DELETE", resourcePath({ ...info, namespace: ns, name: obj.metadata.name }));
      } catch (err) {
        if (!isStatus(err, 404)) throw err;
      }
    }
  };
}

/** create_source_git_test.go's reconciler: waits for the object, then writes the status a controller would. */
async function standInController(
  kc: KubeConfig,
  namespace: string,
  r: NonNullable<UpstreamCase["reconcile"]>,
): Promise<void> {
  const ref = { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories", namespace, name: r.name };
  await eventually(() => tryGetObject(kc, ref), 10_000, 50);
  await updateStatus(kc, ref, (obj) => {
    const generation = obj.metadata.generation ?? 1;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      observedGeneration: generation,
      lastTransitionTime: now,
    });
    if (r.status === "stalled") {
      return {
        observedGeneration: generation,
        conditions: [
          cond("Stalled", "True", "URLInvalid", "failed message"),
          cond("Ready", "False", "URLInvalid", "failed message"),
        ],
      };
    }
    const status: Record<string, unknown> = {
      observedGeneration: generation,
      conditions: [cond("Ready", "True", "GitOperationSucceed", "succeeded message")],
    };
    if (r.status === "ready") {
      status.artifact = {
        path: "some-path",
        revision: "v1",
        lastUpdateTime: now,
        digest: "sha256:1234567890abcdef",
        url: "",
      };
    }
    return status;
  });
}

export interface Outcome {
  pass: boolean;
  /** What differed, for the failure message. */
  detail: string;
  result: CliResult;
  /** The expected output, for golden cases. */
  expected?: string;
}

function renderArgs(line: string, ctx: GroupContext): string[] {
  return shellwords(renderText(line, ctx));
}

/** The line's placeholders filled in (temporary files, testdata paths, the registry, template values). */
function renderText(line: string, ctx: GroupContext): string {
  const expanded = line
    .replace(/\{\{ file:([^ }]+) \}\}/g, (_, name: string) => {
      const p = ctx.files[name];
      if (!p) throw new Error(`no temporary file ${name}`);
      return p;
    })
    .replace(/\{\{ abs:([^ }]+) \}\}/g, (_, rel: string) => resolve(TESTDATA_DIR, rel))
    .replace(/\{\{ registry \}\}/g, () => {
      if (!ctx.registry) throw new Error("this case needs the OCI registry");
      return ctx.registry;
    });
  return renderTemplate(expanded, ctx.tmpl);
}

/**
 * A directory holding an `ssh-keyscan` that answers for the given hosts (port 22) as
 * OpenSSH's does ("host type key") and for no other: hosts upstream's tests scan over
 * the network, unreachable here.
 */
function sshKeyscanFor(hosts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tsflux-keyscan-"));
  const answers = Object.entries(hosts)
    .map(([host, key]) => `    ${host}) echo "${host} ${key}" ;;`)
    .join("\n");
  writeFileSync(
    join(dir, "ssh-keyscan"),
    `#!/bin/sh
# ssh-keyscan [-T s] [-p port] [-t types] host
port=22
while [ $# -gt 1 ]; do
  case "$1" in
    -p) port="$2"; shift 2 ;;
    -T|-t) shift 2 ;;
    *) shift ;;
  esac
done
[ "$port" = 22 ] || exit 1
case "$1" in
${answers}
    *) exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  return dir;
}

async function cli(line: string, ctx: GroupContext, c: UpstreamCase): Promise<CliResult> {
  const saved: Record<string, string | undefined> = {};
  const keyscanDir = c.sshHostKeys ? sshKeyscanFor(c.sshHostKeys) : undefined;
  const env = { ...c.env, ...(keyscanDir ? { PATH: `${keyscanDir}${delimiter}${process.env.PATH ?? ""}` } : {}) };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = renderText(v, ctx);
  }
  try {
    const stdin = c.stdin ? readFileSync(resolve(TESTDATA_DIR, c.stdin), "utf8") : undefined;
    return await runCli(renderArgs(line, ctx), { stdin });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
    if (keyscanDir) rmSync(keyscanDir, { recursive: true, force: true });
  }
}

/** What the real binary prints (main.go's logger.Warningf) when `diff` finds changes, exiting 1. */
const CHANGE_WARNING = "⚠️ identified at least one change, exiting with non-zero exit code\n";

/**
 * runTestCmd discards the diff commands' change error (isChangeError in main_test.go)
 * before main() would print it: the run counts as a success and its output lacks the
 * warning line the binary prints on stderr with exit 1.
 */
function discardChangeError(result: CliResult): CliResult {
  if (result.code !== 1 || !result.stderr.endsWith(CHANGE_WARNING) || !result.output.endsWith(CHANGE_WARNING))
    return result;
  const cut = (s: string) => s.slice(0, s.length - CHANGE_WARNING.length);
  return { ...result, code: 0, stderr: cut(result.stderr), output: cut(result.output) };
}

function errorLine(result: CliResult, expected: string): boolean {
  return result.code !== 0 && result.stderr.split("\n").includes(`✗ ${expected}`);
}

/** Runs one case as upstream's cmdTestCase.runTestCmd does and judges it like upstream's assert. */
export async function runCase(g: UpstreamGroup, c: UpstreamCase, group: GroupContext): Promise<Outcome> {
  const ctx: GroupContext = { ...group, tmpl: { ...group.tmpl, ...(c.tmpl ?? {}) } };
  for (const key of c.fresh ?? []) ctx.tmpl[key] = allocateNamespace(key);
  const kc = ctx.kc;
  if (g.cluster && kc) {
    for (const file of c.objects ?? []) await createObjectFile(kc, file, ctx.tmpl);
    // setupTestNamespace for cases whose fresh namespaces no object file creates.
    if (!c.objects) for (const key of c.fresh ?? []) await createNamespace(kc, ctx.tmpl[key]);
  }
  if (c.push) {
    const pushed = await cli(c.push, ctx, c);
    if (pushed.code !== 0) throw new Error(`push failed: ${pushed.stderr}`);
  }
  const undo = c.apply && kc ? await applyObjectFile(kc, c.apply, ctx.tmpl) : undefined;
  const controller =
    c.reconcile && kc ? standInController(kc, must(ctx.tmpl.ns, "the group's namespace"), c.reconcile) : undefined;
  let result: CliResult;
  try {
    result = discardChangeError(await cli(c.args, ctx, c));
    await controller;
  } finally {
    await undo?.();
  }
  const e = c.expect;
  const id = caseId(g, c);
  const diff = HARNESS_DIFFERENCES[id];
  if ("golden" in e) {
    const text = readFileSync(resolve(TESTDATA_DIR, e.golden), "utf8");
    const rendered = e.tmpl === "group" ? renderTemplate(text, ctx.tmpl) : text;
    const expected = diff ? applyHarnessEdits(id, rendered, diff.edits) : rendered;
    const pass = result.code === 0 && result.output === expected;
    return { pass, detail: pass ? "" : `exit ${result.code}, output differs from ${e.golden}`, result, expected };
  }
  if ("error" in e) {
    const expected = renderTemplate(e.error, ctx.tmpl);
    const pass = errorLine(result, expected);
    return { pass, detail: pass ? "" : `want exit != 0 and stderr line "✗ ${expected}"`, result };
  }
  if ("errorContains" in e) {
    const pass = result.code !== 0 && result.stderr.includes(e.errorContains);
    return { pass, detail: pass ? "" : `want exit != 0 and stderr containing "${e.errorContains}"`, result };
  }
  if ("success" in e) return { pass: result.code === 0, detail: "want exit 0", result };
  if ("contains" in e) {
    const wants = (Array.isArray(e.contains) ? e.contains : [e.contains]).map((w) => renderTemplate(w, ctx.tmpl));
    const pass = result.code === 0 && wants.every((want) => result.output.includes(want));
    return {
      pass,
      detail: pass ? "" : `want exit 0 and output containing ${wants.map((w) => `"${w}"`).join(", ")}`,
      result,
    };
  }
  if ("sameAs" in e) {
    const other = await cli(e.sameAs, ctx, c);
    const pass = result.code === 0 && other.code === 0 && other.output === result.output;
    return { pass, detail: pass ? "" : `want the same output as \`${e.sameAs}\`:\n${other.output}`, result };
  }
  const pass = result.code === 0 && result.output === e.output;
  return { pass, detail: pass ? "" : `want exit 0 and output ${JSON.stringify(e.output)}`, result };
}

/** Whether tsflux has the top-level command an argument line starts with (not cobra's "unknown command"). */
export async function commandExists(line: string): Promise<boolean> {
  const verb = must(shellwords(line)[0], `a command in: ${line}`);
  const res = await runCli([verb]);
  return !res.stderr.includes(`unknown command "${verb}"`);
}
