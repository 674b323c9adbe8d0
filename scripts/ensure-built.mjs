#!/usr/bin/env node
// `prestart` hook: makes `npm ci && npm start` work on a fresh clone. `npm start` runs the compiled server
// (apps/server/dist) which serves the compiled console (apps/web/dist); when either is missing, or older than the
// sources it is built from, run `npm run build` first. An up-to-date tree costs about a second, not a build.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What the compiled server loads at run time: its own entry and the entries of the workspace packages it
 * imports (the demo mesh runs in-process by default, so demo-mesh and its mesh-config are among them). */
const RUNTIME_ENTRIES = [
  "apps/server/dist/index.js",
  "packages/model/dist/index.js",
  "packages/wire/dist/index.js",
  "packages/mesh-config/dist/index.js",
  "packages/demo-mesh/dist/index.js",
];

/** The TypeScript projects (every reference of the root tsconfig.json: the packages and the server): ask
 * `tsc -b --dry` itself, so what counts as an input (its include/exclude lists, tsconfig changes) is exactly what
 * tsc would rebuild for. A deleted output file with its .tsbuildinfo left behind is caught by the list above. */
function tscStaleReason() {
  const missing = RUNTIME_ENTRIES.find((entry) => !exists(entry));
  if (missing !== undefined) return `${missing} is missing`;
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const res = spawnSync(process.execPath, [tsc, "-b", "--dry"], { cwd: root, encoding: "utf8" });
  if (res.status !== 0) return "tsc -b --dry failed";
  // Up to date prints "Project '…' is up to date" only; anything else is "A non-dry build would …".
  return /would (build|update)/i.test(res.stdout) ? "the server or a package it uses is older than its sources" : null;
}

/** The web console (vite): its entry HTML against the newest file vite reads from (tests excluded). */
const WEB_INPUTS = [
  "apps/web/src",
  "apps/web/public",
  "apps/web/index.html",
  "apps/web/vite.config.ts",
  "packages/model/src",
];
const isTest = (name) => /\.test\.tsx?$/.test(name);

function webStaleReason() {
  const html = path.join(root, "apps/web/dist/index.html");
  if (!exists("apps/web/dist/index.html")) return "apps/web/dist/index.html is missing";
  const built = statSync(html).mtimeMs;
  const source = Math.max(...WEB_INPUTS.map((p) => newest(path.join(root, p))));
  return source > built ? "apps/web/dist is older than its sources" : null;
}

/** Newest mtime (ms) of the file, or of the files under the directory; 0 when absent. */
function newest(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return isTest(path.basename(p)) ? 0 : st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist") continue;
    max = Math.max(max, newest(path.join(p, e.name)));
  }
  return max;
}

function exists(relative) {
  try {
    return statSync(path.join(root, relative)).isFile();
  } catch {
    return false;
  }
}

const reason = webStaleReason() ?? tscStaleReason();
if (reason === null) process.exit(0);

console.log(`[meshscope] ${reason}: running npm run build`);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["run", "build"], { cwd: root, stdio: "inherit" });
if (result.error) {
  console.error(`[meshscope] could not run npm run build: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
