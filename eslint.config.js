import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["lib/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    // The launcher and the prepare script are plain JavaScript run by Node.
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: { URL: "readonly", console: "readonly", process: "readonly" } },
  },
  {
    // Entry points, benchmarks and scripts talk to a terminal on purpose.
    files: ["src/bin/**", "bench/**", "scripts/**", "bin/**"],
    rules: { "no-console": "off" },
  },
);
