#!/usr/bin/env node
// Writes test/golden/upstream-help/: the help upstream flux v2.9.5 prints for a set of
// command lines (its real binary, built by bench/build-upstream.sh), with a PROVENANCE
// file. Only bench/ may run upstream flux; test/unit/cli/help-goldens.test.ts reads the
// checked-in outputs and compares tsflux's help with them byte for byte.
//
//   node bench/upstream-help-goldens.mjs [path/to/upstream/flux]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const flux = process.argv[2] ?? join(homedir(), ".cache/tsflux/bench/flux-v2.9.5/flux");
const dir = "test/golden/upstream-help";
// A fixed, minimal environment: flag defaults such as --cache-dir's come from $HOME.
const env = { PATH: process.env.PATH, HOME: "/root" };

/** The command lines, one golden each: groups, leaves, the root and the help command. */
export const HELP_CASES = [
  ["--help"],
  ["help"],
  ["help", "create", "source", "git"],
  ["get", "--help"],
  ["get", "kustomizations", "--help"],
  ["get", "sources", "git", "--help"],
  ["create", "--help"],
  ["create", "source", "--help"],
  ["create", "source", "git", "--help"],
  ["create", "source", "oci", "--help"],
  ["create", "kustomization", "--help"],
  ["create", "helmrelease", "--help"],
  ["create", "secret", "tls", "--help"],
  ["create", "tenant", "--help"],
  ["delete", "source", "git", "--help"],
  ["export", "kustomization", "--help"],
  ["resume", "kustomization", "--help"],
  ["suspend", "--help"],
  ["suspend", "source", "oci", "--help"],
  ["trace", "--help"],
  ["tree", "kustomization", "--help"],
  ["uninstall", "--help"],
  ["version", "--help"],
  ["completion", "bash", "--help"],
  ["envsubst", "--help"],
  ["build", "artifact", "--help"],
  ["migrate", "--help"],
  ["plugin", "--help"],
  ["plugin", "install", "--help"],
  ["plugin", "update", "--help"],
];

export const goldenName = (args) => `${args.filter((a) => a !== "--help").join("_") || "root"}.txt`;

const version = execFileSync(flux, ["--version"], { encoding: "utf8", env }).trim();
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) rmSync(join(dir, f));
const lines = [
  `# Outputs of upstream ${version} (built from github.com/fluxcd/flux2/v2@v2.9.5 by bench/build-upstream.sh),`,
  "# written by bench/upstream-help-goldens.mjs with HOME=/root and PATH only. Do not edit or regenerate from tsflux.",
  "# <file> <sha256> <command line>",
];
for (const args of HELP_CASES) {
  const out = execFileSync(flux, args, { encoding: "utf8", env });
  const name = goldenName(args);
  writeFileSync(join(dir, name), out);
  lines.push(`${name} ${createHash("sha256").update(out).digest("hex")} flux ${args.join(" ")}`);
}
writeFileSync(join(dir, "PROVENANCE"), `${lines.join("\n")}\n`);
console.error(`wrote ${HELP_CASES.length} goldens to ${dir}`);
