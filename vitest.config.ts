import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React's server condition; tests import server modules directly.
      "server-only": path.resolve(import.meta.dirname, "server/test/server-only-stub.ts"),
    },
  },
  test: {
    // onnxruntime-node is a native addon: forks, not threads.
    pool: "forks",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "model/**", ".data/**"],
    globalSetup: ["server/test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
