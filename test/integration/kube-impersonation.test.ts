// --as / --as-group reach every request made through src/kube/rest.ts.
import { describe, expect, it } from "vitest";
import { testKubeconfigPath } from "../env/helpers.js";
import { createKubeClient } from "../../src/kube/client.js";
import { kubeRest } from "../../src/kube/rest.js";

interface Review {
  status: { userInfo: { username: string; groups?: string[] } };
}

describe("impersonation", () => {
  it("sends Impersonate-User and every Impersonate-Group", async () => {
    const kubeconfig = await testKubeconfigPath();
    const c = await createKubeClient({ kubeconfig, as: "jane", asGroup: ["dev", "system:authenticated"] });
    // Any authenticated identity may ask who it is: the API server answers with the impersonated one.
    const review = await kubeRest<Review>(c, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });
    expect(review.status.userInfo.username).toBe("jane");
    expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(["dev", "system:authenticated"]));
    // A forbidden request names the impersonated user.
    const err = await kubeRest(c, "GET", "/api/v1/namespaces").catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain('User "jane" cannot list resource "namespaces"');
  });

  it("refuses --as-group without --as", async () => {
    const kubeconfig = await testKubeconfigPath();
    await expect(createKubeClient({ kubeconfig, asGroup: ["dev"] })).rejects.toThrow("--as-group requires --as");
  });
});
