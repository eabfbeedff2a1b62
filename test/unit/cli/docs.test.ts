// The command reference in docs/cmd is generated from the command tree
// (`npm run docs`); this fails when a flag or command changed without regenerating.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { renderCommandDocs } from "../../../src/cli/docs.js";
import { buildProgram, helpTexts } from "../../../commands/index.js";

describe("docs/cmd", async () => {
  // --cache-dir's default names the home directory: the pages say ~ whoever renders them.
  vi.stubEnv("KUBECACHEDIR", "~/.kube/cache");
  afterAll(() => vi.unstubAllEnvs());
  const pages = renderCommandDocs(buildProgram(), await helpTexts());

  it("has one page per command and no page for a removed command", () => {
    const files = existsSync("docs/cmd") ? readdirSync("docs/cmd").sort() : [];
    expect(files, "run `npm run docs`").toEqual([...pages.keys()].sort());
  });

  it("is up to date with the command tree", () => {
    for (const [name, content] of pages) {
      const path = join("docs/cmd", name);
      expect(existsSync(path) ? readFileSync(path, "utf8") : "", `${path} is stale: run \`npm run docs\``).toBe(
        content,
      );
    }
  });
});
