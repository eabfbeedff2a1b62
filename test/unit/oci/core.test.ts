// Pure pieces of the OCI engine: references, ignore patterns (go-git semantics),
// semver filters (Masterminds syntax), auth challenges, --creds, manifests as Go writes them.
import { describe, expect, it } from "vitest";
import {
  artifactConfig,
  artifactManifest,
  goJson,
  isCosignArtifact,
  parseAnnotations,
  rfc3339,
} from "../../../src/oci/artifact.js";
import { hostOf, parseCreds } from "../../../src/oci/auth.js";
import { compileGoGlob, IgnoreMatcher, IgnorePattern, readPatterns } from "../../../src/oci/ignore.js";
import { parseArtifactUrl, parseReference, parseRepositoryUrl, referenceString } from "../../../src/oci/reference.js";
import { digestOf, parseChallenge, sha256, traceUrl } from "../../../src/oci/registry.js";
import { parseConstraint, parseVersion } from "../../../src/oci/semver.js";
import { must } from "../../support/must.js";

describe("references", () => {
  it("parses registries, Docker Hub defaults, tags and digests like go-containerregistry", () => {
    expect(parseReference("ghcr.io/org/config/app:v1")).toEqual({
      registry: "ghcr.io",
      repository: "org/config/app",
      tag: "v1",
    });
    expect(parseReference("localhost:5000/app")).toEqual({
      registry: "localhost:5000",
      repository: "app",
      tag: "latest",
    });
    // go-containerregistry: a bare "localhost" is a Docker Hub namespace.
    expect(parseReference("localhost/app:1")).toEqual({
      registry: "index.docker.io",
      repository: "localhost/app",
      tag: "1",
    });
    expect(parseReference("docker.io/org/app:v1")).toEqual({
      registry: "index.docker.io",
      repository: "org/app",
      tag: "v1",
    });
    expect(parseReference("nginx")).toEqual({
      registry: "index.docker.io",
      repository: "library/nginx",
      tag: "latest",
    });
    const d = "sha256:" + "a".repeat(64);
    expect(parseReference(`ghcr.io/org/app:v1@${d}`)).toEqual({
      registry: "ghcr.io",
      repository: "org/app",
      digest: d,
    });
    expect(referenceString(parseReference(`ghcr.io/org/app@${d}`))).toBe(`ghcr.io/org/app@${d}`);
    expect(referenceString(parseReference("127.0.0.1:5000/a/b"))).toBe("127.0.0.1:5000/a/b:latest");
    for (const bad of [
      "ghcr.io/Org/app:v1",
      "ghcr.io/org/app@sha256:short",
      "ghcr.io/a",
      "",
      `ghcr.io/app:${"t".repeat(129)}`,
    ]) {
      expect(() => parseReference(bad), bad).toThrow(/could not parse reference/);
    }
  });

  it("validates oci:// URLs with upstream's messages, never echoing credentials", () => {
    expect(parseArtifactUrl("oci://ghcr.io/org/app:v1").url).toBe("ghcr.io/org/app:v1");
    expect(() => parseArtifactUrl("ghcr.io/org/app:v1")).toThrow("URL must be in format 'oci://<domain>/<org>/<repo>'");
    expect(() => parseArtifactUrl("oci://ghcr.io/Org/app")).toThrow(
      "'oci://ghcr.io/Org/app' invalid URL: could not parse reference: ghcr.io/Org/app",
    );
    let message = "";
    try {
      parseArtifactUrl("oci://user:hunter2@ghcr.io/app:v1");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("invalid URL");
    expect(message).not.toContain("hunter2");
    expect(parseRepositoryUrl("oci://ghcr.io/org/app:v1")).toEqual({
      url: "ghcr.io/org/app",
      ref: { registry: "ghcr.io", repository: "org/app" },
    });
  });
});

describe("ignore patterns", () => {
  const m = (patterns: string[]) => new IgnoreMatcher(patterns.map((p) => new IgnorePattern(p)));

  it("compiles Go filepath.Match globs", () => {
    const glob = (pattern: string) => must(compileGoGlob(pattern), `a compiled ${pattern}`);
    expect(glob("*.yaml").test("a.yaml")).toBe(true);
    expect(glob("*.yaml").test("a.yml")).toBe(false);
    expect(glob("?.md").test("a.md")).toBe(true);
    expect(glob("[a-c]x").test("bx")).toBe(true);
    expect(glob("[^a-c]x").test("bx")).toBe(false);
    expect(glob("\\*").test("*")).toBe(true);
    expect(compileGoGlob("[")).toBeNull();
    expect(compileGoGlob("a\\")).toBeNull();
    expect(compileGoGlob("[]a]")).toBeNull();
  });

  it("matches like go-git's gitignore: names anywhere, anchored globs, dir-only, ** and negation", () => {
    const matcher = m([".git/", "*.png", "/docs/*.md", "**/tmp", "build/**", "!keep.png"]);
    expect(matcher.ignores(".git", true)).toBe(true);
    expect(matcher.ignores(".git/config", false)).toBe(true);
    expect(matcher.ignores("sub/.git", false)).toBe(false); // dir-only pattern, a file here
    expect(matcher.ignores("a/b/logo.png", false)).toBe(true);
    expect(matcher.ignores("keep.png", false)).toBe(false);
    expect(matcher.ignores("docs/x.md", false)).toBe(true);
    expect(matcher.ignores("other/docs/x.md", false)).toBe(false);
    expect(matcher.ignores("a/b/tmp", true)).toBe(true);
    expect(matcher.ignores("build/out/x", false)).toBe(true);
    expect(matcher.ignores("build", true)).toBe(true); // go-git (unlike git) lets "build/**" match "build"
  });

  it("scopes patterns to the directory that declared them and skips comments", () => {
    const ps = readPatterns("# comment\n\n*.md\n  \n", ["apps"]);
    expect(ps).toHaveLength(1);
    const matcher = new IgnoreMatcher(ps);
    expect(matcher.ignores("apps/README.md", false)).toBe(true);
    expect(matcher.ignores("README.md", false)).toBe(false);
  });
});

describe("semver filters", () => {
  const tags = ["v1.0.0", "1.2.3", "1.2.4-rc.1", "1.3.0", "2.0.0", "latest", "1.2", "v0.1.0", "0.2.5"];
  const filter = (c: string) => {
    const check = parseConstraint(c);
    return tags.filter((t) => {
      const v = parseVersion(t);
      return v !== null && check(v);
    });
  };

  it("parses versions strictly, with an optional v", () => {
    expect(parseVersion("v1.2.3")).toEqual({ major: 1, minor: 2, patch: 3, pre: [] });
    expect(parseVersion("1.2")).toBeNull();
    expect(parseVersion("01.2.3")).toBeNull();
    expect(parseVersion("1.2.3-rc.1+build")).toEqual({ major: 1, minor: 2, patch: 3, pre: ["rc", "1"] });
  });

  it("filters with Masterminds constraint syntax", () => {
    expect(filter(">=1.2.0")).toEqual(["1.2.3", "1.3.0", "2.0.0"]);
    expect(filter("~1.2")).toEqual(["1.2.3"]);
    expect(filter("^1.2.3")).toEqual(["1.2.3", "1.3.0"]);
    expect(filter("^0.1")).toEqual(["v0.1.0"]);
    expect(filter("1.x")).toEqual(["v1.0.0", "1.2.3", "1.3.0"]);
    expect(filter("*")).toEqual(["v1.0.0", "1.2.3", "1.3.0", "2.0.0", "v0.1.0", "0.2.5"]);
    expect(filter("<1.0.0 || >=2.0.0")).toEqual(["2.0.0", "v0.1.0", "0.2.5"]);
    expect(filter(">1.0.0, <1.3.0")).toEqual(["1.2.3"]);
    expect(filter("1.2.0 - 1.3.0")).toEqual(["1.2.3", "1.3.0"]);
    // Masterminds v3.5: a prerelease matches only in a group where some term names a prerelease.
    expect(filter(">=1.2.4-rc.0 <1.3.0")).toEqual(["1.2.4-rc.1"]);
    expect(filter(">=1.2.0 <1.3.0")).toEqual(["1.2.3"]);
    expect(filter(">=1.2.4-rc.0 <1.3.0-0")).toEqual(["1.2.4-rc.1"]);
    expect(filter("!=1.2.3")).toEqual(["v1.0.0", "1.3.0", "2.0.0", "v0.1.0", "0.2.5"]);
    expect(() => parseConstraint("not a range")).toThrow(/parse error/);
  });

  it("skips cosign tags", () => {
    expect(["sha256-abc.sig", "sha256-abc.att", "sha256-abc.sbom", "v1"].filter((t) => !isCosignArtifact(t))).toEqual([
      "v1",
    ]);
  });
});

describe("auth", () => {
  it("computes digests with the descriptor's algorithm", () => {
    const data = Buffer.from("abc");
    expect(sha256(data)).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(digestOf(data, "sha256:00")).toBe(sha256(data));
    expect(digestOf(data, "sha512:00")).toMatch(/^sha512:ddaf35a193617aba[a-f0-9]{112}$/);
  });

  it("hides query strings of other hosts in the verbose trace (presigned URLs)", () => {
    expect(traceUrl(new URL("https://reg.example.com/v2/app/tags/list?n=1000"), "reg.example.com")).toBe(
      "https://reg.example.com/v2/app/tags/list?n=1000",
    );
    expect(
      traceUrl(
        new URL("https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=secret&X-Amz-Credential=x"),
        "reg.example.com",
      ),
    ).toBe("https://bucket.s3.amazonaws.com/blob?…");
    expect(traceUrl(new URL("https://user:pw@other.example.com/x"), "reg.example.com")).toBe(
      "https://other.example.com/x",
    );
  });

  it("parses Bearer and Basic challenges", () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/app:pull"',
      ),
    ).toEqual({
      scheme: "bearer",
      params: {
        realm: "https://auth.example.com/token",
        service: "registry.example.com",
        scope: "repository:org/app:pull",
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: "basic",
      params: { realm: "Registry Realm" },
    });
    expect(parseChallenge(undefined).scheme).toBe("none");
  });

  it("parses --creds as upstream: user:password, or a single token", () => {
    expect(parseCreds("flux:p:a:ss")).toEqual({ username: "flux", password: "p:a:ss" });
    expect(parseCreds("tok")).toEqual({ registryToken: "tok" });
    expect(() => parseCreds("")).toThrow("credentials cannot be empty");
    expect(hostOf("https://index.docker.io/v1/")).toBe("index.docker.io");
    expect(hostOf("registry:5000")).toBe("registry:5000");
  });
});

describe("manifests as Go writes them", () => {
  it("writes the config and manifest bytes go-containerregistry writes for upstream", () => {
    // Produced by empty.Image + mutate.MediaType/ConfigMediaType/Annotations/Append(tarball.LayerFromFile)
    // (go-containerregistry v0.20.3, go1.26.8) for a 448-byte layer.
    const GO_CONFIG =
      '{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["sha256:5a6439cdccd02813679dbfca8d2d0de93e434e950b8d584dbdd7f1c17669dfa6"]},"config":{}}';
    const GO_MANIFEST =
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.flux.config.v1+json","size":233,"digest":"sha256:c3e800a75a7b5027d8b55483560591f62a02175e49cb902ce9daccdf7491646f"},"layers":[{"mediaType":"application/vnd.cncf.flux.content.v1.tar+gzip","size":448,"digest":"sha256:f5b7bcdfabd903b5952456afb7c3f3815c5399db8f2491eda53f46b1f311e012"}],"annotations":{"org.opencontainers.image.created":"2026-01-02T03:04:05Z","org.opencontainers.image.description":"a \\u003cb\\u003e \\u0026 c","org.opencontainers.image.revision":"main@sha1:0123","org.opencontainers.image.source":"https://github.com/org/repo"}}';
    const config = artifactConfig("sha256:5a6439cdccd02813679dbfca8d2d0de93e434e950b8d584dbdd7f1c17669dfa6");
    expect(config.toString()).toBe(GO_CONFIG);
    const manifest = artifactManifest(
      config,
      { size: 448, digest: "sha256:f5b7bcdfabd903b5952456afb7c3f3815c5399db8f2491eda53f46b1f311e012" },
      {
        "org.opencontainers.image.source": "https://github.com/org/repo",
        "org.opencontainers.image.revision": "main@sha1:0123",
        "org.opencontainers.image.created": "2026-01-02T03:04:05Z",
        "org.opencontainers.image.description": "a <b> & c",
      },
    );
    expect(goJson(manifest)).toBe(GO_MANIFEST);
  });

  it("escapes HTML in JSON, formats RFC 3339 without fractions, and builds the image config", () => {
    expect(goJson({ a: "<x> & \u2028" })).toBe('{"a":"\\u003cx\\u003e \\u0026 \\u2028"}');
    expect(rfc3339(new Date("2026-11-24T06:04:15.123Z"))).toBe("2026-11-24T06:04:15Z");
    expect(artifactConfig("sha256:abc").toString()).toBe(
      '{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["sha256:abc"]},"config":{}}',
    );
    expect(parseAnnotations(["a=b", "c="])).toEqual({ a: "b", c: "" });
    expect(() => parseAnnotations(["a=b=c"])).toThrow("invalid annotation a=b=c, must be in the format key=value");
  });
});
