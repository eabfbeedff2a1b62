// Files under templates/ are imported as their text: esbuild's text loader inlines
// them at build time (scripts/build.mjs), vitest's textTemplates plugin in tests.
declare module "*.tmpl" {
  const text: string;
  export default text;
}
