// templates/*.tmpl as their text under vitest, as esbuild's text loader inlines them in
// the build (scripts/build.mjs). Used by vitest.config.ts and test/e2e/vitest.config.ts.
import type { Plugin } from "vitest/config";

export function textTemplates(): Plugin {
  return {
    name: "tsflux-text-templates",
    transform(code, id) {
      if (id.endsWith(".tmpl")) return { code: `export default ${JSON.stringify(code)};`, map: null };
    },
  };
}
