// Type-aware lint: the rules that catch real bugs in async CLI code (floating
// promises, misused promises), not style; style is prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/**", "**/*.mjs", "bin/**", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
    },
  },
  // One API client: @kubernetes/client-node is imported only inside src/kube.
  {
    files: ["src/**/*.ts", "commands/**/*.ts"],
    ignores: ["src/kube/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@kubernetes/client-node", message: "talk to the API server through src/kube" }] },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportExpression[source.value='@kubernetes/client-node']",
          message: "talk to the API server through src/kube",
        },
      ],
    },
  },
);
