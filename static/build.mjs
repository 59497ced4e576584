// Bundles each screen's entry module (and its CSS) with esbuild into static/dist/:
// minified, content-hashed names so they can be cached for a year, source maps beside
// them, and manifest.json (entry -> hashed file) that facilitator/assets.py reads.
// Usage: node static/build.mjs   (run by `make assets`)
import { build } from "esbuild";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const STATIC = dirname(fileURLToPath(import.meta.url));
const DIST = join(STATIC, "dist");

export const ENTRIES = [
  "live/console.js",
  "live/display.js",
  "qa/speaker.js",
  "participation/join.js",
  "participation/phone.js",
  "agenda/local-times.js",
  "shared/app.css",
  "live/live.css",
  "participation/phone.css",
  "participation/handout.css",
  "record/notes.js",
  "record/review.js",
  "record/record.css",
];

// The previous build's files stay a while: a server started before this build still
// serves pages that name them (a rebuild during a test run, or during `make run`).
await mkdir(DIST, { recursive: true });
const started = Date.now();
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

// Then files that no build has written for an hour go.
const HOUR_MS = 60 * 60 * 1000;
const written = new Set(Object.keys(result.metafile.outputs).map((output) => join(STATIC, output)));
async function prune(folder) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      await prune(path);
    } else if (!written.has(path) && !path.endsWith("manifest.json")) {
      const { mtimeMs } = await stat(path);
      if (started - mtimeMs > HOUR_MS) await rm(path, { force: true });
    }
  }
}
await prune(DIST);
