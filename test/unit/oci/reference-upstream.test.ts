// Differential test of reference parsing against go-containerregistry, which
// upstream flux uses: each input went through name.ParseReference
// (github.com/google/go-containerregistry v0.20.3, go1.26.8), recording
// "<registry> <repository> <identifier> <name>" or "E" for an error.
import { describe, expect, it } from "vitest";
import { identifier, parseReference, referenceString } from "../../../src/oci/reference.js";

const GO_RESULTS: Array<[string, string]> = [
  ["ghcr.io/org/config/app:v1", "ghcr.io org/config/app v1 ghcr.io/org/config/app:v1"],
  ["localhost:5000/app", "localhost:5000 app latest localhost:5000/app:latest"],
  ["localhost/app:1", "index.docker.io localhost/app 1 index.docker.io/localhost/app:1"],
  ["docker.io/org/app:v1", "index.docker.io org/app v1 index.docker.io/org/app:v1"],
  ["nginx", "index.docker.io library/nginx latest index.docker.io/library/nginx:latest"],
  ["nginx:1.25", "index.docker.io library/nginx 1.25 index.docker.io/library/nginx:1.25"],
  ["library/nginx", "index.docker.io library/nginx latest index.docker.io/library/nginx:latest"],
  ["index.docker.io/nginx", "index.docker.io library/nginx latest index.docker.io/library/nginx:latest"],
  ["registry-1.docker.io/org/app", "registry-1.docker.io org/app latest registry-1.docker.io/org/app:latest"],
  [
    "ghcr.io/org/app:v1@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "ghcr.io org/app sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ghcr.io/org/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  ],
  [
    "ghcr.io/org/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "ghcr.io org/app sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ghcr.io/org/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  ],
  ["127.0.0.1:5000/a/b", "127.0.0.1:5000 a/b latest 127.0.0.1:5000/a/b:latest"],
  ["ghcr.io/Org/app:v1", "E"],
  ["ghcr.io/org/app:-bad", "ghcr.io org/app -bad ghcr.io/org/app:-bad"],
  ["ghcr.io/org/app@sha256:short", "E"],
  ["ghcr.io//app", "ghcr.io /app latest ghcr.io//app:latest"],
  ["", "E"],
  [
    "ghcr.io/app:tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
    "ghcr.io app tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt ghcr.io/app:tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
  ],
  ["user:pw@ghcr.io/app:v1", "E"],
  ["ghcr.io/org/app:v1.0.0_rc-1", "ghcr.io org/app v1.0.0_rc-1 ghcr.io/org/app:v1.0.0_rc-1"],
  ["[::1]:5000/app:v1", "[::1]:5000 app v1 [::1]:5000/app:v1"],
  ["my.registry:443/a/b/c/d:latest", "my.registry:443 a/b/c/d latest my.registry:443/a/b/c/d:latest"],
  ["ghcr.io/org/app/", "ghcr.io org/app/ latest ghcr.io/org/app/:latest"],
  ["ghcr.io/org/APP", "E"],
  ["a_b/c", "index.docker.io a_b/c latest index.docker.io/a_b/c:latest"],
  ["ghcr.io/a__b/c", "ghcr.io a__b/c latest ghcr.io/a__b/c:latest"],
  ["ghcr.io/a..b/c", "ghcr.io a..b/c latest ghcr.io/a..b/c:latest"],
  ["ghcr.io/a-b.c_d/e", "ghcr.io a-b.c_d/e latest ghcr.io/a-b.c_d/e:latest"],
  ["host:port/app", "E"],
  // go-containerregistry v0.21.6, which flux v2.9.5 links, rejects an empty tag ("must specify a
  // tag name after the colon"; v0.20.3 read it as latest): checked with bench/'s flux v2.9.5.
  ["ghcr.io/org/app:", "E"],
  ["ghcr.io:99999/app", "ghcr.io:99999 app latest ghcr.io:99999/app:latest"],
  ["Ghcr.io/app", "Ghcr.io app latest Ghcr.io/app:latest"],
  ["ghcr.io/org/app:V1", "ghcr.io org/app V1 ghcr.io/org/app:V1"],
  ["ghcr.io/org/app@sha512:aaaa", "E"],
  ["reg.io/a:b:c", "E"],
  [
    "localhost:5000/app:v1@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "localhost:5000 app sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb localhost:5000/app@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  ],
  ["ghcr.io/org/app@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "E"],
  ["ghcr.io", "index.docker.io library/ghcr.io latest index.docker.io/library/ghcr.io:latest"],
  ["ghcr.io/", "E"],
  ["app:v1", "index.docker.io library/app v1 index.docker.io/library/app:v1"],
  [":v1", "E"],
  ["/app", "index.docker.io /app latest index.docker.io//app:latest"],
  ["ghcr.io/org/app:v1@", "E"],
  ["ghcr.io/org/app@", "E"],
  ["example.com:5000", "index.docker.io library/example.com 5000 index.docker.io/library/example.com:5000"],
  ["a.b/c:d.e", "E"],
  ["ghcr.io/org/app:v1 ", "E"],
  ["ghcr.io/org/ app", "E"],
  ["x", "E"],
  ["ab", "index.docker.io library/ab latest index.docker.io/library/ab:latest"],
  ["ghcr.io/a", "E"],
  [
    "ghcr.io/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "ghcr.io aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa latest ghcr.io/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:latest",
  ],
  [
    "ghcr.io/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "E",
  ],
];

describe("references vs go-containerregistry", () => {
  it("parses every input as name.ParseReference does", () => {
    const got = GO_RESULTS.map(([input]) => {
      try {
        const r = parseReference(input);
        return [input, `${r.registry} ${r.repository} ${identifier(r)} ${referenceString(r)}`];
      } catch {
        return [input, "E"];
      }
    });
    expect(got).toEqual(GO_RESULTS);
  });
});
