// Shared parts of `flux create ...`: name and label validation with upstream's
// messages, object references, relative paths, file reading and export printing.
import { readFileSync } from "node:fs";
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import type { KubeObject } from "../manifests/common.js";
import { toYaml } from "../yaml/printer.js";
import { formatDurationNs, parseDurationNs } from "../util/duration.js";

const NAME_RE = /^[a-z0-9]([a-z0-9-]){0,61}[a-z0-9]$/;

/** upstream's PersistentPreRunE of `flux create`. */
export function requireName(name: string | undefined): string {
  if (name === undefined) throw new CliError("name is required");
  if (!NAME_RE.test(name)) {
    throw new CliError(
      `name '${name}' is invalid, it should adhere to standard defined in RFC 1123, the name can only contain alphanumeric characters or '-'`,
    );
  }
  return name;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** apimachinery's IsQualifiedName; returns its error strings. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  const [first = "", second = ""] = parts;
  if (parts.length === 1) name = first;
  else if (parts.length === 2) {
    const prefix = first;
    name = second;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else {
      if (prefix.length > 253) errs.push("prefix part must be no more than 253 characters");
      if (!DNS1123_SUBDOMAIN.test(prefix))
        errs.push(
          "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        );
    }
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name))
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  return errs;
}

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errs;
}

/** --label key=value pairs, validated as upstream's parseLabels. */
export function parseLabels(labels: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const label of labels ?? []) {
    const parts = label.split("=");
    if (parts.length !== 2) throw new CliError(`invalid label format '${label}', must be key=value`);
    const [key, value] = parts as [string, string];
    const kerr = qualifiedNameErrors(key);
    if (kerr.length > 0) throw new CliError(`invalid label '${key}': [${kerr.join(" ")}]`);
    const verr = labelValueErrors(value);
    if (verr.length > 0) throw new CliError(`invalid label value '${value}': [${verr.join(" ")}]`);
    out[key] = value;
  }
  return out;
}

/** `<kind>/<name>` (kind empty when there is no single slash). */
export function parseKindName(input: string): { kind: string; name: string } {
  const parts = input.split("/");
  const [kind = "", name = ""] = parts;
  if (parts.length === 2) return { kind, name };
  return { kind: "", name: input };
}

export { parseKindNameNamespace } from "../util/flag-values.js";

/** Case-insensitive match against a list of kinds; returns the canonical spelling. */
export function matchKind(kinds: readonly string[], kind: string): string | undefined {
  return kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
}

/** flags.SafeRelativePath: a path confined to the source root, always starting with ./ */
export function safeRelativePath(input: string): string {
  const out: string[] = [];
  for (const part of input.trim().replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      out.pop();
      continue;
    }
    out.push(part);
  }
  return `./${out.join("/")}`;
}

/** The canonical Go form of a duration flag value ("1m" -> "1m0s"). */
export function duration(value: string | undefined, fallback = "0s"): string {
  return formatDurationNs(parseDurationNs(value ?? fallback));
}

/** Reads a file the user pointed at; the message names the flag's purpose, never the content. */
export function readUserFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason =
      e.code === "ENOENT"
        ? "no such file or directory"
        : e.code === "EISDIR"
          ? "is a directory"
          : e.code === "EACCES"
            ? "permission denied"
            : e.message;
    throw new CliError(`${what}: open ${path}: ${reason}`);
  }
}

/** Go's url.Parse, to the extent create needs it: scheme and host. */
export function parseUrl(raw: string): { scheme: string; host: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  if (!m) return { scheme: "", host: "" };
  const [, scheme = "", rest = ""] = m;
  if (/[\x00-\x1f\x7f ]/.test(raw) && /[\x00-\x1f\x7f]/.test(raw)) return undefined;
  let host = "";
  if (rest.startsWith("//")) {
    const auth = rest.slice(2).split(/[/?#]/)[0] ?? "";
    host = auth.includes("@") ? auth.slice(auth.lastIndexOf("@") + 1) : auth;
  }
  return { scheme: scheme.toLowerCase(), host };
}

/** Prints objects as upstream's --export: `---` then the YAML of each. */
export function printExport(deps: Deps, objects: KubeObject[], trailingBlankLine = false): void {
  let out = "";
  for (const o of objects) out += "---\n" + toYaml(o);
  if (trailingBlankLine) out += "\n";
  deps.io.stdout.write(out);
}
