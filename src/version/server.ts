// The server half of `flux version`: the distribution (part-of + version labels of the
// GitRepository CRD, like upstream; the flux namespace's app.kubernetes.io/version label
// when the CRD is absent) and, for each container of the Flux Deployments in the
// namespace, image name -> tag.
import type { GlobalOptions } from "../deps.js";
import { CliError } from "../errors.js";
import { type KubeObject, isNotFound, kubeRest, listAll, resourcePath } from "../kube/rest.js";
import { createKubeClient, kubeErrorMessage } from "../kube/client.js";
import { distribution, getFluxClusterInfo, FLUX_SELECTOR, VERSION_LABEL } from "../install/cluster.js";
import { builtInResource } from "../kinds/resources.js";

interface Deployment {
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
}

/** Splits an image reference into its last path element and its tag (upstream's splitImageStr). */
export function splitImage(image: string): { name: string; tag: string } {
  const first = image.split("/", 1)[0] ?? image;
  const hasRegistry = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const repo = hasRegistry ? image.slice(first.length) : image;
  const [n = "", ...rest] = repo.split(":");
  if (rest.length === 0) throw new CliError(`missing image tag in image ${image}`);
  const tag = repo.slice(n.length + 1);
  return { name: n.split("/").at(-1) ?? n, tag };
}

export async function serverVersions(g: Partial<GlobalOptions>): Promise<Record<string, string>> {
  const kube = await createKubeClient(g);
  const out: Record<string, string> = {};
  try {
    const info = await getFluxClusterInfo(kube);
    let dist = distribution(info);
    if (!info.installed) {
      try {
        const ns = await kubeRest<KubeObject>(
          kube,
          "GET",
          resourcePath(builtInResource("v1", "Namespace"), undefined, kube.namespace),
        );
        dist = ns.metadata.labels?.[VERSION_LABEL] ?? "";
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (dist !== "") out.distribution = dist;
    const deployments = builtInResource("apps/v1", "Deployment");
    const list = await listAll<Deployment>(kube, resourcePath(deployments, kube.namespace), {
      labelSelector: FLUX_SELECTOR,
    });
    if (list.items.length === 0) throw new CliError(`no deployments found in ${kube.namespace} namespace`);
    for (const d of list.items) {
      for (const c of d.spec?.template?.spec?.containers ?? []) {
        const { name, tag } = splitImage(c.image ?? "");
        out[name] = tag;
      }
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(kubeErrorMessage(err));
  }
  return out;
}
