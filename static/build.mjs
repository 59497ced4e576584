// Bundles each screen's entry module (and its CSS) with esbuild into static/dist/:
// minified, content-hashed names so they can be cached for a year, source maps beside
// them, and manifest.json (entry -> hashed file) that facilitator/assets.py reads.
// Usage: node static/build.mjs   (run by `make assets`)
import { build } from "esbuild";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC = dirname(fileURLToPath(import.meta.url));
const DIST = join(STATIC, "dist");

export const ENTRIES = [
  "live/console.js",
  "live/display.js",
  "participation/join.js",
  "participation/phone.js",
  "agenda/local-times.js",
  "shared/app.css",
  "live/live.css",
  "participation/phone.css",
  "participation/handout.css",
];

await rm(DIST, { recursive: true, force: true });
await mkdir(DIST, { recursive: true });
const result = await build({
  absWorkingDir: STATIC,
  entryPoints: ENTRIES,
  outbase: STATIC,
  outdir: DIST,
  entryNames: "[dir]/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "esm",
  // Each screen loads one file: a phone should not wait for chunks it then has to find.
  splitting: false,
  // Browsers that run module scripts and optional chaining, as phones of recent years do.
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});

const manifest = {};
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  if (!meta.entryPoint) continue;
  const entry = relative(STATIC, join(STATIC, meta.entryPoint));
  manifest[entry] = relative(DIST, join(STATIC, output)).split("\\").join("/");
}
for (const entry of ENTRIES) {
  if (!manifest[entry]) throw new Error(`no output for ${entry}`);
}
await writeFile(join(DIST, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
