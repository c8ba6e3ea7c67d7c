import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests share one Redis; files run in parallel but each uses its own prefix.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
