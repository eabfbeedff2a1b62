// Type-aware lint: the rules that catch real bugs in async CLI code (floating
// promises, misused promises), not style; style is prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The layers: commands/ -> src/ (engines and the CLI toolkit in src/cli); src/ never
// imports commands/, and the engines never import src/cli. (test/unit/build/layers.test.ts
// checks the same graph for import cycles.) @kubernetes/client-node is imported only
// inside src/kube. ESLint replaces a rule's options per file rather than merging them,
// so each block below lists every restriction that applies to its files.
const CLIENT_NODE = { name: "@kubernetes/client-node", message: "talk to the API server through src/kube" };
const NOT_COMMANDS = {
  group: ["**/commands/**", "../commands/*", "../../commands/*"],
  message: "src/ never imports commands/: commands depend on src, not the other way round.",
};
const NOT_CLI = {
  group: ["**/cli/*", "../cli/*"],
  message: "engines never import the CLI toolkit (src/cli): take typed options and Deps (src/deps.ts).",
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/**", "**/*.mjs", "bin/**", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-explicit-any": "off",
      "no-empty": ["error", { allowEmptyCatch: true }],
      "no-control-regex": "off",
      // Numbers read naturally in messages; every other non-string must be converted on purpose.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `() => void x()` shorthand in callbacks is plain enough; a void call used as a value is not.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
    },
  },
  // One API client: @kubernetes/client-node is imported only inside src/kube.
  {
    files: ["src/**/*.ts", "commands/**/*.ts"],
    ignores: ["src/kube/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: [CLIENT_NODE] }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportExpression[source.value='@kubernetes/client-node']",
          message: "talk to the API server through src/kube",
        },
      ],
    },
  },
  // The layers (see the comment at the top).
  {
    files: ["src/cli/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [CLIENT_NODE], patterns: [NOT_COMMANDS] }] },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", "src/kube/**"],
    rules: { "no-restricted-imports": ["error", { paths: [CLIENT_NODE], patterns: [NOT_COMMANDS, NOT_CLI] }] },
  },
  {
    files: ["src/kube/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [NOT_COMMANDS, NOT_CLI] }] },
  },
);
