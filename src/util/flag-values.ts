// Upstream flux's flag Value types (internal/flags) and pflag's own typed values, as
// parse functions: each returns the parsed value or throws the type's Set error, which
// pflag wraps as `invalid argument "v" for "--flag" flag: <error>`. The CLI runs them
// while it reads the command line, in argument order (src/cli/flags.ts); the engines
// run the same functions on options given through the library (flagValue below).
// Cheap to import: the command tree loads it at start-up.
import { CliError } from "../errors.js";

/** pflag's wording for a flag value that was rejected; `flag` is "--name" or "-n, --name". */
export function invalidFlagValue(value: string, flag: string, message: string): string {
  return `invalid argument ${goQuote(value)} for "${flag}" flag: ${message}`;
}

/** Runs a flag's parse function on an engine option, failing with pflag's wording. */
export function flagValue<T>(value: string, flag: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (err) {
    throw new CliError(invalidFlagValue(value, `--${flag}`, (err as Error).message));
  }
}

/** Go's %q of a string: double quotes, Go escapes for quotes, backslashes and control characters. */
export function goQuote(s: string): string {
  const named: Record<string, string> = {
    "\u0007": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
  };
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0; // for..of yields whole code points
    const escape = named[ch];
    if (escape) out += escape;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

// ------------------------------------------------------------- pflag's own types

/** strconv.ParseInt(s, 0, 64) as pflag's int and int64 use it: decimal, 0x, 0o/0 and 0b. */
export function goInt(value: string): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  if (!m) throw new Error(`strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`);
  const digits = m[2] ?? "";
  let n = BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits.toLowerCase().replace(/^0o/, "0o"));
  if (m[1] === "-") n = -n;
  if (n >= 1n << 63n || n < -(1n << 63n))
    throw new Error(`strconv.ParseInt: parsing ${goQuote(value)}: value out of range`);
  return Number(n);
}

/**
 * pflag's stringToString: one `k=v` (quotes trimmed) or, with several `=`, one CSV record
 * of `k=v` pairs. Values given in later flags are added to the map.
 */
export function stringToString(value: string): Record<string, string> {
  const count = value.split("=").length - 1;
  if (count === 0) throw new Error(`${value} must be formatted as key=value`);
  const pairs = count === 1 ? [value.replace(/^"+|"+$/g, "")] : csvRecord(value);
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i < 0) throw new Error(`${pair} must be formatted as key=value`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** The first record of Go's encoding/csv reader (comma separated, "" escapes in quoted fields). */
function csvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const col = (n: number) => n + 1;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= line.length)
          throw new Error(`parse error on line 1, column ${col(start)}: extraneous or missing " in quoted-field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line.charAt(i++);
      }
      if (i < line.length && line[i] !== ",")
        throw new Error(`parse error on line 1, column ${col(i)}: extraneous or missing " in quoted-field`);
    } else {
      const end = line.indexOf(",", i);
      field = line.slice(i, end < 0 ? line.length : end);
      const quote = field.indexOf('"');
      if (quote >= 0) throw new Error(`parse error on line 1, column ${col(i + quote)}: bare " in non-quoted-field`);
      i += field.length;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

// ------------------------------------------------------- upstream's internal/flags

function oneOf(kind: string, allowed: readonly string[], separator = ", ") {
  return (value: string): string => {
    if (!allowed.includes(value))
      throw new Error(`${kind} '${value}' is not supported, must be one of: ${allowed.join(separator)}`);
    return value;
  };
}

function notEmpty(value: string, message: string): void {
  if (value.trim() === "") throw new Error(message);
}

export const CRDS_POLICIES = ["Skip", "Create", "CreateReplace"] as const;
/** flags.CRDsPolicy */
export function crdsPolicy(value: string): string {
  const list = CRDS_POLICIES.join(", ");
  notEmpty(value, `no upgrade CRDs policy given, must be one of: ${list}`);
  if (!(CRDS_POLICIES as readonly string[]).includes(value))
    throw new Error(`unsupported upgrade CRDs policy '${value}', must be one of: ${list}`);
  return value;
}

export const DECRYPTION_PROVIDERS = ["sops"] as const;
/** flags.DecryptionProvider */
export function decryptionProvider(value: string): string {
  const list = DECRYPTION_PROVIDERS.join(", ");
  notEmpty(value, `no decryption provider given, must be one of: ${list}`);
  if (!(DECRYPTION_PROVIDERS as readonly string[]).includes(value))
    throw new Error(`unsupported decryption provider '${value}', must be one of: ${list}`);
  return value;
}

export const KEY_ALGORITHMS = ["rsa", "ecdsa", "ed25519"] as const;
/** flags.PublicKeyAlgorithm */
export function publicKeyAlgorithm(value: string): (typeof KEY_ALGORITHMS)[number] {
  const list = KEY_ALGORITHMS.join(", ");
  notEmpty(value, `no public key algorithm given, must be one of: ${list}`);
  const alg = KEY_ALGORITHMS.find((a) => a === value);
  if (!alg) throw new Error(`unsupported public key algorithm '${value}', must be one of: ${list}`);
  return alg;
}

export const ECDSA_CURVES = ["p256", "p384", "p521"] as const;
/** flags.ECDSACurve (no special case for an empty value) */
export function ecdsaCurve(value: string): (typeof ECDSA_CURVES)[number] {
  const curve = ECDSA_CURVES.find((c) => c === value);
  if (!curve) throw new Error(`unsupported curve '${value}', must be one of: ${ECDSA_CURVES.join(", ")}`);
  return curve;
}

/** flags.RSAKeyBits: empty is the default 2048; strconv.Atoi's errors; at least 1024, then a multiple of 8. */
export function rsaKeyBits(value: string): number {
  if (value.trim() === "") return 2048;
  const bits = atoi(value);
  if (bits < 1024) throw new Error("RSA key bit size must be at least 1024");
  if (bits % 8 !== 0) throw new Error("RSA key bit size must be a multiples of 8");
  return bits;
}

/** strconv.Atoi: base 10 only, an optional sign. */
function atoi(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw new Error(`strconv.Atoi: parsing ${goQuote(value)}: invalid syntax`);
  const n = BigInt(value);
  if (n >= 1n << 63n || n < -(1n << 63n))
    throw new Error(`strconv.Atoi: parsing ${goQuote(value)}: value out of range`);
  return Number(n);
}

export const RECEIVER_TYPES = [
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "bitbucket",
  "harbor",
  "dockerhub",
  "quay",
  "gcr",
  "nexus",
  "acr",
  "cdevents",
] as const;
/** flags.ReceiverType */
export function receiverType(value: string): string {
  notEmpty(value, "no receiver type given, please specify the receiver type");
  return oneOf("receiver type", RECEIVER_TYPES)(value);
}

export const GIT_PROVIDERS = ["generic", "github", "aws", "azure"] as const;
/** flags.SourceGitProvider ("|" between the names: its error prints Type()) */
export function sourceGitProvider(value: string): string {
  notEmpty(value, "no source Git provider given, please specify the Git provider name");
  return oneOf("source Git provider", GIT_PROVIDERS, "|")(value);
}

export const BUCKET_PROVIDERS = ["generic", "aws", "azure", "gcp"] as const;
/** flags.SourceBucketProvider */
export function sourceBucketProvider(value: string): string {
  notEmpty(value, "no source bucket provider given, please specify the S3 compatible storage provider name");
  return oneOf("source bucket provider", BUCKET_PROVIDERS)(value);
}

export const OCI_PROVIDERS = ["generic", "aws", "azure", "gcp"] as const;
/** flags.SourceOCIProvider */
export function sourceOCIProvider(value: string): string {
  notEmpty(value, "no source OCI provider given, please specify the OCI provider name");
  return oneOf("source OCI provider", OCI_PROVIDERS)(value);
}

export const OCI_VERIFY_PROVIDERS = ["cosign"] as const;
/** flags.SourceOCIVerifyProvider */
export function sourceOCIVerifyProvider(value: string): string {
  notEmpty(
    value,
    `no source OCI verify provider given, please specify the OCI verify provider name to use for signature verification, available options are: (${OCI_VERIFY_PROVIDERS.join(", ")})`,
  );
  return oneOf("source OCI verify provider", OCI_VERIFY_PROVIDERS)(value);
}

export interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
}

/** utils.ParseObjectKindNameNamespace: `[<kind>/]<name>[.<namespace>]` */
export function parseKindNameNamespace(input: string): SourceRef {
  const parts = input.split("/");
  const [kind, name] = parts.length === 2 ? [parts[0] ?? "", parts[1] ?? ""] : ["", input];
  const [first = "", second = ""] = name.split(".");
  if (name.includes(".")) return { kind, name: first, namespace: second };
  return { kind, name, namespace: "" };
}

function canonicalKind(kinds: readonly string[], kind: string): string {
  const k = kinds.find((x) => x.toLowerCase() === kind.toLowerCase());
  if (!k) throw new Error(`source kind '${kind}' is not supported, must be one of: ${kinds.join(", ")}`);
  return k;
}

export const KUSTOMIZATION_SOURCE_KINDS = ["OCIRepository", "GitRepository", "Bucket"] as const;
const KUSTOMIZATION_SOURCE = `source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (${KUSTOMIZATION_SOURCE_KINDS.join(", ")}), if kind is not specified it defaults to GitRepository`;
/** flags.KustomizationSource */
export function kustomizationSource(value: string): SourceRef {
  notEmpty(value, `no Kustomization source given, please specify ${KUSTOMIZATION_SOURCE}`);
  const p = parseKindNameNamespace(value);
  if (p.name === "") throw new Error(`no name given for source of kind '${p.kind}'`);
  let kind = p.kind;
  if (kind === "") {
    if ((KUSTOMIZATION_SOURCE_KINDS as readonly string[]).includes(p.name))
      throw new Error(`no kind specified for source '${p.name}'`);
    kind = "GitRepository";
  }
  return { ...p, kind: canonicalKind(KUSTOMIZATION_SOURCE_KINDS, kind) };
}

export const HELM_CHART_SOURCE_KINDS = ["HelmRepository", "GitRepository", "Bucket"] as const;
/** flags.HelmChartSource (create helmrelease --source, create source chart --source) */
export function helmChartSource(value: string): SourceRef {
  notEmpty(
    value,
    `no helm chart source given, please specify source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (${HELM_CHART_SOURCE_KINDS.join(", ")})`,
  );
  const p = parseKindNameNamespace(value);
  if (p.kind === "" || p.name === "")
    throw new Error(`invalid helm chart source '${value}', must be in format <kind>/<name>`);
  return { ...p, kind: canonicalKind(HELM_CHART_SOURCE_KINDS, p.kind) };
}

/** flags.LocalHelmChartSource (create source chart --source): `<kind>/<name>`, no namespace. */
export function localHelmChartSource(value: string): { kind: string; name: string } {
  notEmpty(
    value,
    `no helm chart source given, please specify source that contains the chart in the format '<kind>/<name>', where kind must be one of: (${HELM_CHART_SOURCE_KINDS.join(", ")})`,
  );
  const parts = value.split("/");
  const [kind, name] = parts.length === 2 ? [parts[0] ?? "", parts[1] ?? ""] : ["", value];
  if (kind === "" || name === "")
    throw new Error(`invalid helm chart source '${value}', must be in format <kind>/<name>`);
  return { kind: canonicalKind(HELM_CHART_SOURCE_KINDS, kind), name };
}
