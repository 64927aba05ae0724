import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The app runs under a strict CSP (default-src 'self'): no CDN, no external fonts, and
// relative asset paths so the bundle loads from Tauri's custom protocol.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Keep every asset a real file: nothing is inlined into a script.
    assetsInlineLimit: 0,
    target: "es2022",
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    include: ["src/**/*.test.{ts,tsx}"],
    // A bound for a stuck test, with room for a slow CI machine (the slowest takes about 2 s).
    testTimeout: 20000,
  },
});
