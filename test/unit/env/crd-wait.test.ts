// waitForCRDsGone (test/env/helpers.ts) requeues a CRD whose deletion the API server's
// finalizer is backing off from; this is the state it must recognise, as an API server
// reported it when a whole suite ran beside another one.
import { describe, expect, it } from "vitest";
import { crdFinalizerBackingOff, type CRDLeft } from "../../env/helpers.js";

const seen: CRDLeft = {
  name: "externalartifacts.source.toolkit.fluxcd.io",
  deletionTimestamp: "2026-12-06T21:52:25Z",
  finalizers: ["customresourcecleanup.apiextensions.k8s.io"],
  terminating: {
    reason: "InstanceDeletionFailed",
    message: "could not list instances: storage is (re)initializing",
  },
};

describe("the CRD finalizer's backoff", () => {
  it("is recognised from the Terminating condition the API server sets when it failed", () => {
    expect(crdFinalizerBackingOff(seen)).toBe(true);
    // instances still there after its one-minute check: it backs off the same way
    expect(crdFinalizerBackingOff({ ...seen, terminating: { reason: "InstanceDeletionCheck" } })).toBe(true);
  });

  it("is not assumed while the finalizer is at work or before the CRD is deleted", () => {
    expect(crdFinalizerBackingOff({ ...seen, terminating: { reason: "InstanceDeletionInProgress" } })).toBe(false);
    expect(crdFinalizerBackingOff({ ...seen, terminating: undefined })).toBe(false);
    expect(crdFinalizerBackingOff({ ...seen, deletionTimestamp: undefined })).toBe(false);
  });
});
