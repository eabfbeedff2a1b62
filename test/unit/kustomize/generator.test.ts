import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  kustomizationFor,
  parseLocalSources,
  readKustomizationFile,
  splitDocuments,
} from "../../../src/kustomize/build.js";
import { applyFluxSpec, generatedKustomization, scanResources } from "../../../src/kustomize/generator.js";
import { climbDepth, kustomizeMessage, mirrorDirectory, removeTree } from "../../../src/kustomize/runner.js";
import { IgnoreMatcher, parsePattern, readPatterns, defaultPatterns } from "../../../src/kustomize/sourceignore.js";
import { maskSopsData, SOPS_MASK } from "../../../src/kustomize/sops.js";
import { must } from "../../support/must.js";

const fixtures = path.resolve("test/fixtures/kustomize");
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "tsflux-gen-test-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function tree(root: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe("sourceignore matcher", () => {
  it("matches gitignore-style patterns with domains and negation", () => {
    const m = new IgnoreMatcher([
      ...readPatterns("# comment\n\n*.txt\n/build/\n!keep.txt\ndocs/**/*.yaml\n"),
      ...readPatterns("local.yaml\n", ["sub"]),
    ]);
    expect(m.match(["a.txt"], false)).toBe(true);
    expect(m.match(["deep", "b.txt"], false)).toBe(true);
    expect(m.match(["keep.txt"], false)).toBe(false);
    expect(m.match(["build"], true)).toBe(true);
    expect(m.match(["build"], false)).toBe(false);
    expect(m.match(["x", "build"], true)).toBe(false);
    expect(m.match(["docs", "a", "b", "c.yaml"], false)).toBe(true);
    expect(m.match(["docs", "c.yaml"], false)).toBe(true);
    expect(m.match(["sub", "local.yaml"], false)).toBe(true);
    expect(m.match(["local.yaml"], false)).toBe(false);
  });

  it("excludes Flux's defaults: VCS, CI files, SOPS config", () => {
    const m = new IgnoreMatcher(defaultPatterns());
    expect(m.match([".git"], true)).toBe(true);
    expect(m.match([".github"], true)).toBe(true);
    expect(m.match([".gitlab-ci.yml"], false)).toBe(true);
    expect(m.match(["a", ".sops.yaml"], false)).toBe(true);
    expect(m.match(["app.yaml"], false)).toBe(false);
  });

  it("parses directory-only and anchored patterns", () => {
    expect(parsePattern("/to_ignore/**/*.yaml")).toMatchObject({
      isGlob: true,
      dirOnly: false,
      parts: ["", "to_ignore", "**", "*.yaml"],
    });
    expect(parsePattern("!logs/")).toMatchObject({ inclusion: true, dirOnly: true, isGlob: false });
  });
});

describe("generated kustomization", () => {
  it("lists manifests recursively like kustomize-controller, honouring .sourceignore and defaults", async () => {
    const resources = await scanResources(path.join(fixtures, "plain"));
    expect(resources).toEqual(["./deployment.yaml", "./sub/configmap.yaml"]);
  });

  it("adds directories that hold a kustomization instead of descending, and applies --ignore-paths", async () => {
    const root = tree(path.join(tmp, "scan"), {
      "a.yaml": cm("a"),
      "b.yml": cm("b"),
      "readme.md": "# no",
      "nested/kustomization.yaml": "resources: [x.yaml]\n",
      "nested/x.yaml": cm("x"),
      "to_ignore/deep/c.yaml": cm("c"),
      "ignore.yaml": cm("i"),
      "z/d.yaml": cm("d"),
    });
    expect(await scanResources(root)).toEqual([
      "./a.yaml",
      "./b.yml",
      "./ignore.yaml",
      "./nested",
      "./to_ignore/deep/c.yaml",
      "./z/d.yaml",
    ]);
    expect(await scanResources(root, ["/to_ignore/**/*.yaml", "ignore.yaml"])).toEqual([
      "./a.yaml",
      "./b.yml",
      "./nested",
      "./z/d.yaml",
    ]);
  });

  it("scopes a nested .sourceignore to its directory and lets --ignore-paths win", async () => {
    const root = tree(path.join(tmp, "nested-ignore"), {
      "local.yaml": cm("top-local"),
      "sub/.sourceignore": "local.yaml\n",
      "sub/local.yaml": cm("sub-local"),
      "sub/kept.yaml": cm("kept"),
      "skipped/.sourceignore": "!*.yaml\n",
      ".sourceignore": "skipped/\n",
      "skipped/x.yaml": cm("x"),
    });
    expect(await scanResources(root)).toEqual(["./local.yaml", "./sub/kept.yaml"]);
    expect(await scanResources(root, ["kept.yaml"])).toEqual(["./local.yaml"]);
  });

  it("rejects files that are not YAML, naming the file", async () => {
    const root = tree(path.join(tmp, "bad"), { "bad.yaml": "a: [unclosed\n" });
    await expect(scanResources(root)).rejects.toThrow(/failed to decode Kubernetes YAML from .*bad\.yaml/);
  });

  it("applies targetNamespace, name prefix/suffix, patches, images and components", () => {
    const kus = { resources: ["./a.yaml"], images: [{ name: "nginx", newTag: "1" }], components: ["../c1"] };
    const out = applyFluxSpec(kus, {
      targetNamespace: "apps",
      namePrefix: "p-",
      nameSuffix: "-s",
      patches: [{ patch: "- op: remove\n  path: /x\n", target: { kind: "Deployment", name: "web", group: "" } }],
      images: [
        { name: "nginx", newName: "registry/nginx", newTag: "2" },
        { name: "redis", digest: "sha256:abc" },
      ],
      components: ["../c2"],
    });
    expect(out).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["./a.yaml"],
      namespace: "apps",
      namePrefix: "p-",
      nameSuffix: "-s",
      patches: [{ patch: "- op: remove\n  path: /x\n", target: { kind: "Deployment", name: "web" } }],
      images: [
        { name: "nginx", newName: "registry/nginx", newTag: "2" },
        { name: "redis", digest: "sha256:abc" },
      ],
      components: ["../c1", "../c2"],
    });
    expect(kus.images[0]?.newTag).toBe("1"); // input untouched
  });

  it("drops missing components when ignoreMissingComponents is set", () => {
    const root = tree(path.join(tmp, "comp"), { "present/kustomization.yaml": "kind: Component\n" });
    const out = applyFluxSpec(
      generatedKustomization([]),
      { components: ["present", "absent"], ignoreMissingComponents: true },
      root,
    );
    expect(out.components).toEqual(["present"]);
  });

  it("keeps the directory's own kustomization and its file name", async () => {
    const root = tree(path.join(tmp, "own"), {
      "kustomization.yml": "resources:\n  - a.yaml\nnamespace: old\n",
      "a.yaml": cm("a"),
    });
    const k = await kustomizationFor(root, { targetNamespace: "new" });
    expect(k.name).toBe("kustomization.yml");
    expect(k.generated).toBe(false);
    expect(JSON.parse(k.text as string)).toMatchObject({ resources: ["a.yaml"], namespace: "new" });
  });
});

describe("mirrored build tree", () => {
  it("mirrors ancestors as directories and everything else as symlinks, leaving the original untouched", () => {
    const src = tree(path.join(tmp, "mirror-src"), {
      "app/kustomization.yaml": "x",
      "app/a.yaml": cm("a"),
      "base/b.yaml": cm("b"),
    });
    const before = readdirSync(path.join(src, "app")).sort();
    const root = mkdtempSync(path.join(os.tmpdir(), "tsflux-mirror-"));
    try {
      const real = path.join(src, "app");
      const m = mirrorDirectory(root, real, ["kustomization.yaml"]);
      expect(m).toBe(path.join(root, real));
      expect(readdirSync(m)).toEqual(["a.yaml"]);
      expect(readdirSync(path.join(m, "..", "base"))).toEqual(["b.yaml"]);
    } finally {
      removeTree(root);
    }
    expect(readdirSync(path.join(src, "app")).sort()).toEqual(before);
    expect(readdirSync(path.join(src, "base"))).toEqual(["b.yaml"]);
  });

  it("links the siblings of only as many ancestors as the kustomization's `..` paths climb", () => {
    const src = tree(path.join(tmp, "mirror-depth"), { "x/app/a.yaml": cm("a"), "x/base/b.yaml": cm("b") });
    const real = path.join(src, "x", "app");
    for (const [depth, parentLinked] of [
      [0, false],
      [1, true],
    ] as const) {
      const root = mkdtempSync(path.join(os.tmpdir(), "tsflux-mirror-"));
      try {
        const m = mirrorDirectory(root, real, [], depth);
        expect(readdirSync(m)).toEqual(["a.yaml"]);
        expect(readdirSync(path.join(m, ".."))).toEqual(parentLinked ? ["app", "base"] : ["app"]);
        expect(readdirSync(path.join(m, "..", ".."))).toEqual(["x"]);
      } finally {
        removeTree(root);
      }
    }
  });

  it("measures how far up a kustomization's paths reach", () => {
    expect(climbDepth('{"resources":["a.yaml","./sub","sub/../other"]}')).toBe(0);
    expect(climbDepth('{"resources":["../base","../../../shared/x","a/../../b"]}')).toBe(3);
    expect(climbDepth("resources:\n- ../base\ncomponents:\n  - ./c/../../d\n")).toBe(1);
    expect(climbDepth('{"patches":[{"path":"..\\\\win\\\\p.yaml"}]}')).toBe(1);
  });
});

describe("kustomize errors", () => {
  it("drops klog framing and CLI prefixes", () => {
    expect(
      kustomizeMessage(
        'E1124 06:45:11.358904   17750 run.go:72] "command failed" err="accumulating resources: \\"x\\" missing"\n',
      ),
    ).toBe('accumulating resources: "x" missing');
    expect(kustomizeMessage("Error: accumulating resources: boom\n")).toBe("accumulating resources: boom");
  });
});

describe("SOPS masking", () => {
  const sopsText = "sops:\n  mac: ENC[AES256_GCM,data:x]\n";

  it("masks every value of a SOPS-encrypted Secret and drops its metadata", () => {
    const obj: Record<string, unknown> = {
      kind: "Secret",
      metadata: { name: "s" },
      data: { a: "RU5D", b: "RU5D" },
      stringData: { c: "ENC[x]" },
      sops: { mac: "ENC[x]" },
    };
    maskSopsData(obj, sopsText);
    expect(obj).toEqual({
      kind: "Secret",
      metadata: { name: "s" },
      data: { a: Buffer.from(SOPS_MASK).toString("base64"), b: Buffer.from(SOPS_MASK).toString("base64") },
      stringData: { c: SOPS_MASK },
    });
  });

  it("masks dockerconfigjson Secrets with a JSON mask", () => {
    const obj: Record<string, unknown> = {
      kind: "Secret",
      type: "kubernetes.io/dockerconfigjson",
      metadata: { name: "s" },
      data: { ".dockerconfigjson": "e30=" },
    };
    maskSopsData(obj, sopsText);
    const masked = must((obj.data as Record<string, string>)[".dockerconfigjson"], "the masked .dockerconfigjson");
    expect(Buffer.from(masked, "base64").toString()).toBe('{"mask":"**SOPS**"}');
  });

  it("masks single values that embed SOPS content and leaves plain ones", () => {
    const enc = Buffer.from("sops: ENC[AES256]").toString("base64");
    const obj: Record<string, unknown> = {
      kind: "Secret",
      metadata: { name: "s" },
      data: { enc, plain: Buffer.from("hello").toString("base64") },
    };
    maskSopsData(obj, "kind: Secret\n");
    expect(obj.data).toEqual({
      enc: Buffer.from(SOPS_MASK).toString("base64"),
      plain: Buffer.from("hello").toString("base64"),
    });
  });

  it("fails on corrupt base64, and strips top-level sops from other kinds", () => {
    expect(() => maskSopsData({ kind: "Secret", metadata: { name: "s" }, data: { a: "!!" } }, "")).toThrow(
      "failed to mask secret s sops data: illegal base64 data at input byte 0",
    );
    const hr: Record<string, unknown> = { kind: "HelmRelease", metadata: { name: "h" }, sops: { mac: "x" } };
    maskSopsData(hr, "");
    expect(hr).toEqual({ kind: "HelmRelease", metadata: { name: "h" } });
  });
});

describe("helpers", () => {
  it("finds a Kustomization in a multi-document file by name and namespace", async () => {
    const ks = await readKustomizationFile(path.join(fixtures, "ks/apps.yaml"), "apps", "flux-system");
    expect(ks.spec?.targetNamespace).toBe("apps");
    await expect(readKustomizationFile(path.join(fixtures, "ks/apps.yaml"), "apps", "other-ns")).rejects.toThrow(
      "failed find kustomization with name 'apps' and namespace 'other-ns' in file",
    );
  });

  it("splits documents and parses --local-sources", () => {
    expect(splitDocuments("a: 1\n---\nb: 2\n--- \n\n")).toEqual(["a: 1", "b: 2"]);
    expect(parseLocalSources(["GitRepository/flux-system/repo=./git,OCIRepository/ns/o=/tmp/o"])).toEqual({
      "GitRepository/flux-system/repo": "./git",
      "OCIRepository/ns/o": "/tmp/o",
    });
    expect(() => parseLocalSources(["novalue"])).toThrow("must be formatted as key=value");
  });
});
