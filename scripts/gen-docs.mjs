// Regenerates docs/cmd/ from the command tree. test/unit/cli/docs.test.ts fails when
// the committed pages are stale.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// Inside the project so the bundle resolves node_modules.
mkdirSync("node_modules/.cache", { recursive: true });
const tmp = mkdtempSync(join("node_modules/.cache", "tsflux-docs-"));
try {
  const out = join(tmp, "docs.mjs");
  await build({
    stdin: {
      contents:
        'export { buildProgram, helpTexts } from "./commands/index.ts"; export { renderCommandDocs } from "./src/cli/docs.ts";',
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    loader: { ".tmpl": "text" },
    outfile: out,
    logLevel: "warning",
  });
  const { buildProgram, helpTexts, renderCommandDocs } = await import(pathToFileURL(join(process.cwd(), out)).href);
  // --cache-dir's default names the home directory: the pages say ~ whoever renders them.
  process.env.KUBECACHEDIR = "~/.kube/cache";
  const dir = "docs/cmd";
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) rmSync(join(dir, f));
  const pages = renderCommandDocs(buildProgram(), await helpTexts());
  for (const [name, content] of pages) writeFileSync(join(dir, name), content);
  console.error(`wrote ${pages.size} pages to ${dir}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
