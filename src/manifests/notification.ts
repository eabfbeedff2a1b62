// Alert, Provider and Receiver as `flux create alert|alert-provider|receiver` generates them.
import { type CommonOptions, type CrossNamespaceRef, type KubeObject, localRef, objectMeta } from "./common.js";
import { apiVersionFor } from "./common.js";

export interface AlertOptions extends CommonOptions {
  providerRef: string;
  eventSeverity?: string;
  eventSources: CrossNamespaceRef[];
}

export function alert(o: AlertOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("Alert"),
    kind: "Alert",
    metadata: objectMeta(o),
    spec: {
      providerRef: { name: o.providerRef },
      eventSeverity: o.eventSeverity || undefined,
      eventSources: o.eventSources.map((s) => ({ kind: s.kind, name: s.name, namespace: s.namespace || undefined })),
    },
  };
}

export interface AlertProviderOptions extends CommonOptions {
  type: string;
  channel?: string;
  username?: string;
  address?: string;
  secretRef?: string;
}

export function alertProvider(o: AlertProviderOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("Provider"),
    kind: "Provider",
    metadata: objectMeta(o),
    spec: {
      type: o.type,
      channel: o.channel || undefined,
      username: o.username || undefined,
      address: o.address || undefined,
      secretRef: localRef(o.secretRef),
    },
  };
}

export interface ReceiverOptions extends CommonOptions {
  type: string;
  secretRef: string;
  events?: string[];
  resources: CrossNamespaceRef[];
}

export function receiver(o: ReceiverOptions): KubeObject {
  return {
    apiVersion: apiVersionFor("Receiver"),
    kind: "Receiver",
    metadata: objectMeta(o),
    spec: {
      type: o.type,
      events: o.events && o.events.length > 0 ? o.events : undefined,
      resources: o.resources.map((r) => ({ kind: r.kind, name: r.name, namespace: r.namespace || undefined })),
      secretRef: { name: o.secretRef },
    },
  };
}
