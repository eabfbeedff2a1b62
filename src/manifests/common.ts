// Shared shapes and helpers of the generated Flux objects. Generators in this folder
// are pure: options in, plain objects out (fields left undefined are omitted, as Go's
// omitempty does), ready for src/yaml/printer.ts.
import { fluxApiVersion } from "../kinds/api.js";
import { formatDurationNs, parseDurationNs } from "../util/duration.js";

/** The apiVersion a generator writes for a Flux kind (the served version, src/kinds/api.ts). */
export function apiVersionFor(kind: string): string {
  return fluxApiVersion(kind);
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string>;
}

export interface KubeObject<S = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: S;
  [key: string]: unknown;
}

export interface LocalRef {
  name: string;
}

export interface CrossNamespaceRef {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** The common inputs of every generated object. */
export interface CommonOptions {
  name: string;
  namespace: string;
  labels?: Record<string, string> | undefined;
}

/** Metadata as upstream sets it: labels only when there are any. */
export function objectMeta(o: CommonOptions): ObjectMeta {
  const meta: ObjectMeta = { name: o.name, namespace: o.namespace };
  if (o.labels && Object.keys(o.labels).length > 0) meta.labels = { ...o.labels };
  return meta;
}

/** A Go duration as metav1.Duration prints it ("1m" -> "1m0s"). */
export function goDuration(value: string): string {
  return formatDurationNs(parseDurationNs(value));
}

/** True when a Go duration is non-zero. */
export function nonZeroDuration(value: string | undefined): value is string {
  return value !== undefined && value !== "" && parseDurationNs(value) !== 0n;
}

export function localRef(name: string | undefined): LocalRef | undefined {
  return name ? { name } : undefined;
}

/** `a,b` style path lists become the newline separated `ignore` field. */
export function ignoreField(paths: string[] | undefined): string | undefined {
  return paths && paths.length > 0 ? paths.join("\n") : undefined;
}

export function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
