#!/usr/bin/env bash
# Writes commands/help-texts.json: every upstream flux v2.9.5 command's Use, Aliases,
# Short, Long and Example, and each flag's usage text (keyed by command path, "" for
# the root), read from upstream's own cobra
# tree. Bench only (like build-upstream.sh): a copy of the v2.9.5 Go module gets one
# extra file (bench/upstream-help/zz_tsflux_help_dump.go.txt) that prints the tree as
# JSON, and is built and run once. The product reads the checked-in JSON; it never
# runs upstream code.
#
# Usage: bench/upstream-help-texts.sh   (then review `git diff commands/help-texts.json`)
set -euo pipefail

VERSION=2.9.5
MODULE=github.com/fluxcd/flux2/v2
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GOWORK=off CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
json="$(cd "$tmp" && go mod download -json "$MODULE@v$VERSION")"
src="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
sum="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
cp -r "$src" "$tmp/src"
chmod -R u+w "$tmp/src"
mkdir -p "$tmp/src/cmd/flux/manifests"
printf '# placeholder\n' >"$tmp/src/cmd/flux/manifests/placeholder.yaml"
cp "$here/upstream-help/zz_tsflux_help_dump.go.txt" "$tmp/src/cmd/flux/zz_tsflux_help_dump.go"
(cd "$tmp/src" && go build -trimpath -ldflags "-s -w -X main.VERSION=$VERSION" -o "$tmp/flux" ./cmd/flux) >&2
# A fixed home: flag defaults such as --cache-dir's are computed from it.
env -i PATH="$PATH" HOME=/root TSFLUX_DUMP_HELP=1 "$tmp/flux" >"$tmp/tree.json"
node - "$tmp/tree.json" "$root/commands/help-texts.json" "$MODULE@v$VERSION" "$sum" <<'JS'
const { readFileSync, writeFileSync } = require("node:fs");
const [tree, out, module, sum] = process.argv.slice(2);
const commands = JSON.parse(readFileSync(tree, "utf8"));
// What help and docs need of each command; flag types and defaults come from
// tsflux's own declarations (test/unit/cli/flag-tree.test.ts compares those).
const slim = ({ use, aliases, short, long, example, flags }) => ({
  use,
  ...(aliases ? { aliases } : {}),
  short: short ?? "",
  long: long ?? "",
  example: example ?? "",
  flags: Object.fromEntries((flags ?? []).filter((f) => f.name !== "help").map((f) => [f.name, f.usage])),
});
const sorted = Object.fromEntries(
  Object.keys(commands)
    .filter((k) => !commands[k].hidden)
    .sort()
    .map((k) => [k, slim(commands[k])]),
);
const doc = {
  provenance: {
    source: `${module} (go.sum ${sum}), cmd/flux: each cobra.Command's Use, Aliases, Short, Long, Example and its flags`,
    tool: "bench/upstream-help-texts.sh (dumps upstream's own command tree; do not edit by hand)",
    home: "/root (flag defaults computed from $HOME, e.g. --cache-dir)",
  },
  commands: sorted,
};
writeFileSync(out, JSON.stringify(doc, null, 2) + "\n");
console.error(`wrote ${Object.keys(sorted).length} commands to ${out}`);
JS
(cd "$root" && node_modules/.bin/prettier --write commands/help-texts.json >/dev/null)
