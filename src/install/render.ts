// Renders the Flux install manifests like upstream's manifestgen/install: the release
// bundle (one <component>.yaml per controller, rbac.yaml, policies.yaml) plus a
// generated kustomization (namespace, labels, selected components, controller args,
// node selector / tolerations / pull secret, image registry), built by the real kustomize.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "../errors.js";
import { kustomizeBuild, findKustomize, type KustomizeCommand } from "./kustomize.js";
import { NOTIFICATION_CONTROLLER, type InstallOptions } from "./options.js";
import { withTempDir } from "./tmp.js";
import { fill, line } from "../util/template.js";
import generatedBy from "../../templates/generated-by.tmpl";
import genWarningTemplate from "../../templates/install/gen-warning.tmpl";
import kustomizationTemplate from "../../templates/install/kustomization.yaml.tmpl";
import componentPatchTemplate from "../../templates/install/component-patch.yaml.tmpl";
import patchOpTemplate from "../../templates/install/patch-op.yaml.tmpl";
import featureGatesPatch from "../../templates/install/feature-gates-patch.yaml.tmpl";
import imagesTemplate from "../../templates/install/images.yaml.tmpl";
import imageTemplate from "../../templates/install/image.yaml.tmpl";
import rolesKustomizationTemplate from "../../templates/install/roles-kustomization.yaml.tmpl";
import nodeSelectorTemplate from "../../templates/install/node-selector.yaml.tmpl";
import labelsTemplate from "../../templates/install/labels.yaml.tmpl";
import namespaceTemplate from "../../templates/install/namespace.yaml.tmpl";

export const GEN_WARNING = line(generatedBy);

/** upstream's GetGenWarning: the header of gotk-components.yaml. */
export function genWarning(opts: Pick<InstallOptions, "version" | "components">): string {
  return line(
    fill(genWarningTemplate, {
      generatedBy: GEN_WARNING,
      version: opts.version,
      components: opts.components.join(","),
    }),
  );
}

export function eventsAddr(opts: InstallOptions): string {
  return opts.components.includes(NOTIFICATION_CONTROLLER)
    ? `http://${NOTIFICATION_CONTROLLER}.$(RUNTIME_NAMESPACE).svc.${opts.clusterDomain}./`
    : "";
}

function op(index: number, value: string): string {
  return fill(patchOpTemplate, { index: String(index), value });
}

/** The controller-args patch of one component. */
function componentPatch(c: string, opts: InstallOptions): string {
  const watch = `--watch-all-namespaces=${opts.watchAllNamespaces}`;
  const logLevel = `--log-level=${opts.logLevel}`;
  let ops: string;
  if (c === NOTIFICATION_CONTROLLER) {
    ops = op(0, watch) + op(1, logLevel);
  } else {
    ops = op(0, `--events-addr=${eventsAddr(opts)}`) + op(1, watch) + op(2, logLevel);
    if (c === "source-controller" || c === "source-watcher") {
      ops += op(6, `--storage-adv-addr=${c}.$(RUNTIME_NAMESPACE).svc.${opts.clusterDomain}.`);
    }
  }
  return line(fill(componentPatchTemplate, { name: c, ops }));
}

/** The generated kustomization.yaml (same content as upstream's template). */
export function kustomizationYaml(opts: InstallOptions): string {
  let resources = opts.networkPolicy ? "  - policies.yaml\n" : "";
  resources += "  - roles\n";
  for (const c of opts.components) resources += `  - ${c}.yaml\n`;
  let patches = opts.components.map((c) => componentPatch(c, opts)).join("");
  if (opts.components.includes("source-watcher")) patches += featureGatesPatch;
  if (opts.registry) {
    const images = opts.components.map((component) => fill(imageTemplate, { component, registry: opts.registry }));
    patches += line(fill(imagesTemplate, { images: images.join("") }));
  }
  return line(fill(kustomizationTemplate, { namespace: opts.namespace, resources, patches }));
}

export function rolesKustomizationYaml(opts: InstallOptions): string {
  return fill(rolesKustomizationTemplate, { namespace: opts.namespace });
}

export function nodeSelectorYaml(opts: InstallOptions): string {
  let extra = "";
  if (opts.imagePullSecret) extra += `      imagePullSecrets:\n       - name: ${opts.imagePullSecret}\n`;
  if (opts.tolerationKeys.length > 0) {
    extra += "      tolerations:\n";
    for (const k of opts.tolerationKeys) extra += `       - key: "${k}"\n         operator: "Exists"\n`;
  }
  return line(fill(nodeSelectorTemplate, { extra }));
}

export function labelsYaml(opts: InstallOptions): string {
  return fill(labelsTemplate, { namespace: opts.namespace, version: opts.version });
}

export function namespaceYaml(opts: InstallOptions): string {
  return fill(namespaceTemplate, { namespace: opts.namespace });
}

/** The files a bundle must hold for the selected options. */
export function requiredBundleFiles(opts: InstallOptions): string[] {
  return [...opts.components.map((c) => `${c}.yaml`), "rbac.yaml", ...(opts.networkPolicy ? ["policies.yaml"] : [])];
}

/** True when dir looks like a release bundle (manifests.tar.gz contents). */
export function isBundleDir(dir: string): boolean {
  return existsSync(path.join(dir, "rbac.yaml")) && existsSync(path.join(dir, "source-controller.yaml"));
}

export function isKustomizationDir(dir: string): boolean {
  return ["kustomization.yaml", "kustomization.yml", "Kustomization"].some((f) => existsSync(path.join(dir, f)));
}

/** Writes the generated files next to a copy of the bundle in `work` (upstream's generate). */
export function writeGenerated(bundleDir: string, work: string, opts: InstallOptions): void {
  for (const f of requiredBundleFiles(opts)) {
    const src = path.join(bundleDir, f);
    if (!existsSync(src)) {
      throw new CliError(
        `the Flux manifests in ${bundleDir} have no ${f}: the bundle is incomplete or not for these components`,
      );
    }
    copyFileSync(src, path.join(work, f));
  }
  writeFileSync(path.join(work, "namespace.yaml"), namespaceYaml(opts));
  writeFileSync(path.join(work, "labels.yaml"), labelsYaml(opts));
  writeFileSync(path.join(work, "node-selector.yaml"), nodeSelectorYaml(opts));
  writeFileSync(path.join(work, "kustomization.yaml"), kustomizationYaml(opts));
  mkdirSync(path.join(work, "roles"));
  writeFileSync(path.join(work, "roles", "kustomization.yaml"), rolesKustomizationYaml(opts));
  let rbac = readFileSync(path.join(bundleDir, "rbac.yaml"), "utf8");
  if (opts.namespace !== "flux-system") rbac = rbac.split("flux-system").join(opts.namespace);
  writeFileSync(path.join(work, "roles", "rbac.yaml"), rbac);
}

export interface RenderOptions {
  /** A release bundle directory, or a kustomization overlay (built as is, like upstream's --manifests). */
  dir: string;
  kustomize?: KustomizeCommand;
  tmpDir?: string;
}

/** Renders the install manifests: the gen warning header followed by kustomize's output. */
export async function renderInstall(opts: InstallOptions, r: RenderOptions): Promise<string> {
  const kustomize = r.kustomize ?? findKustomize();
  let content: string;
  if (isKustomizationDir(r.dir)) {
    content = await kustomizeBuild(r.dir, kustomize);
  } else if (isBundleDir(r.dir)) {
    content = await withTempDir(
      `${opts.namespace}-`,
      async (work) => {
        writeGenerated(r.dir, work, opts);
        return await kustomizeBuild(work, kustomize);
      },
      r.tmpDir ?? os.tmpdir(),
    );
  } else {
    throw new CliError(
      `${r.dir} is neither a Flux manifests bundle (source-controller.yaml, rbac.yaml, ...) nor a kustomization directory`,
    );
  }
  return `${genWarning(opts)}\n${content}`;
}
