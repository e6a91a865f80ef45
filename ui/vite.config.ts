import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The Fluent files live in ../locales (one source for Rust and the UI); they are bundled at
// build time with `import.meta.glob(..., { query: "?raw" })`.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
    // The Antom SDK (≈1.3 MB, loaded only on the binding page) is one chunk by design.
    chunkSizeWarningLimit: 1500,
  },
  server: { fs: { allow: [".."] } },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
