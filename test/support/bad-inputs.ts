// Malformed invocations, across the command groups: each must end with one clear ✗ line,
// a non-zero exit and nothing on stdout, before anything is changed. The unit test
// test/unit/cli/bad-input.test.ts runs tsflux on them; bench/bad-input.mjs runs upstream flux
// v2.9.5 on the same list for docs/reliability.md's comparison. No case needs a cluster:
// the kubeconfig given points at a closed port.

export interface BadInput {
  /** What is wrong, as the table names it. */
  what: string;
  args: string[];
}

export const BAD_INPUTS: BadInput[] = [
  { what: "unknown command", args: ["frobnicate"] },
  { what: "unknown flag", args: ["get", "kustomizations", "--bogus"] },
  { what: "unknown shorthand flag", args: ["get", "kustomizations", "-q"] },
  { what: "flag without its value", args: ["get", "kustomizations", "--namespace"] },
  { what: "invalid duration", args: ["get", "kustomizations", "--timeout=abc"] },
  { what: "invalid boolean", args: ["get", "kustomizations", "--all-namespaces=maybe"] },
  { what: "unknown kind for get", args: ["get", "widgets"] },
  { what: "source without a name", args: ["create", "source", "git", "--export"] },
  {
    what: "name not RFC 1123",
    args: ["create", "source", "git", "Podinfo", "--url=https://x.io/a", "--branch=main", "--export"],
  },
  { what: "git source without --url", args: ["create", "source", "git", "podinfo", "--export"] },
  {
    what: "git URL with an unsupported scheme",
    args: ["create", "source", "git", "podinfo", "--url=ftp://x/y", "--branch=main", "--export"],
  },
  { what: "git source without a ref", args: ["create", "source", "git", "podinfo", "--url=https://x/y", "--export"] },
  {
    what: "git source with an invalid interval",
    args: ["create", "source", "git", "podinfo", "--url=https://x/y", "--branch=main", "--interval=soon", "--export"],
  },
  {
    what: "invalid label",
    args: ["create", "source", "git", "podinfo", "--url=https://x/y", "--branch=main", "--label=a", "--export"],
  },
  { what: "helm source without --url", args: ["create", "source", "helm", "podinfo", "--export"] },
  { what: "OCI source without --url", args: ["create", "source", "oci", "podinfo", "--export"] },
  {
    what: "OCI source with an http URL",
    args: ["create", "source", "oci", "podinfo", "--url=https://ghcr.io/x", "--tag=1", "--export"],
  },
  { what: "bucket without --bucket-name", args: ["create", "source", "bucket", "assets", "--export"] },
  { what: "kustomization without --source", args: ["create", "kustomization", "apps", "--export"] },
  { what: "helmrelease without a chart", args: ["create", "helmrelease", "podinfo", "--export"] },
  { what: "git secret without --url", args: ["create", "secret", "git", "creds", "--export"] },
  {
    what: "tls secret with a missing file",
    args: ["create", "secret", "tls", "certs", "--tls-crt-file=/nonexistent/tls.crt", "--export"],
  },
  { what: "tenant without --with-namespace", args: ["create", "tenant", "team1", "--export"] },
  { what: "alert-provider without --type", args: ["create", "alert-provider", "slack", "--export"] },
  { what: "alert without --provider-ref", args: ["create", "alert", "ops", "--export"] },
  { what: "receiver without --type", args: ["create", "receiver", "hook", "--export"] },
  { what: "image repository without --image", args: ["create", "image", "repository", "app", "--export"] },
  { what: "image policy without --image-ref", args: ["create", "image", "policy", "app", "--export"] },
  { what: "install with an unknown component", args: ["install", "--components=bogus-controller", "--export"] },
  { what: "install with an invalid log level", args: ["install", "--log-level=loud", "--export"] },
  { what: "bootstrap git without --url", args: ["bootstrap", "git"] },
  { what: "bootstrap git over ftp", args: ["bootstrap", "git", "--url=ftp://x/y"] },
  { what: "reconcile without a name", args: ["reconcile", "kustomization"] },
  { what: "suspend without a name", args: ["suspend", "kustomization"] },
  { what: "resume without a name", args: ["resume", "helmrelease"] },
  { what: "delete without a name", args: ["delete", "source", "git"] },
  { what: "export without a name or --all", args: ["export", "source", "git"] },
  { what: "build kustomization without --path", args: ["build", "kustomization", "apps"] },
  { what: "diff kustomization without --path", args: ["diff", "kustomization", "apps"] },
  { what: "push artifact without --path and --source", args: ["push", "artifact", "oci://127.0.0.1:1/x/y:v1"] },
  {
    what: "push artifact to a non-OCI URL",
    args: ["push", "artifact", "x/y:v1", "--path=.", "--source=s", "--revision=r"],
  },
  { what: "pull artifact without --output", args: ["pull", "artifact", "oci://127.0.0.1:1/x/y:v1"] },
  { what: "tag artifact without --tag", args: ["tag", "artifact", "oci://127.0.0.1:1/x/y:v1"] },
  { what: "logs with an invalid level", args: ["logs", "--level=verbose"] },
  { what: "trace without a name", args: ["trace"] },
  { what: "tree without a name", args: ["tree", "kustomization"] },
  { what: "version with an invalid output format", args: ["version", "--client", "-o", "xml"] },
  { what: "completion for an unknown shell", args: ["completion", "tcsh"] },
];

/** A kubeconfig (YAML) whose server is a closed port: commands that reach for the cluster fail fast. */
export const UNREACHABLE_KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: flux-system\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n";
