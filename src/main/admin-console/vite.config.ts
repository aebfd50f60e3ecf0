import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, Plugin } from "vite";

// React comes from the import map of the stock admin console page (keycloak.v2's index.ftl), so it stays external;
// everything else, including the stock console itself (@keycloak/keycloak-admin-ui), is bundled.
const external = ["react", "react-dom", "react/jsx-runtime", "react-dom/client"];
const outDir = "../../../target/admin-console/theme/ensync/admin/resources";

type Chunk = { file: string; imports?: string[] };

/**
 * Keycloak turns the entry's `imports` in the manifest into `<link rel="modulepreload" href="{key}">`, but Vite keys
 * shared chunks by a name ("_index-….js"), not by their file ("assets/index-….js"): write the files there instead.
 */
const preloadableManifest = (): Plugin => ({
  name: "keycloak-preloadable-manifest",
  writeBundle() {
    const path = join(outDir, ".vite/manifest.json");
    const manifest: Record<string, Chunk> = JSON.parse(readFileSync(path, "utf8"));
    for (const chunk of Object.values(manifest)) {
      chunk.imports = chunk.imports?.map((key) => manifest[key]?.file ?? key);
    }
    writeFileSync(path, JSON.stringify(manifest, null, 2));
  },
});

export default defineConfig({
  base: "",
  // esbuild compiles the TSX; React's fast refresh is not needed in a theme build.
  esbuild: { jsx: "automatic" },
  plugins: [preloadableManifest()],
  build: {
    // Keycloak reads .vite/manifest.json from the theme's resources to find the entry script and its styles.
    outDir,
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    target: "es2022",
    rollupOptions: {
      input: "src/main.tsx",
      external,
      output: { paths: { "react-dom/client": "react-dom" } },
    },
  },
});
