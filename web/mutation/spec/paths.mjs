// Where the node tests find the project's files and the shared known-answer vectors.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const SHARED_VECTORS =
  process.env.MEDLEDGER_SHARED_VECTORS || resolve(PROJECT_ROOT, "..", "shared", "vectors");

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf-8"));
}

// Every JSON file under SHARED_VECTORS/subdir as [relative name, parsed]; under
// CI=true a missing folder is an error, elsewhere an empty list (the test says so).
export function sharedVectors(subdir) {
  const folder = join(SHARED_VECTORS, subdir);
  if (!existsSync(folder)) {
    if ((process.env.CI || "").toLowerCase() === "true") {
      throw new Error(`shared vectors not found at ${folder} (CI=true: refusing to skip)`);
    }
    return null;
  }
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json")) found.push([relative(SHARED_VECTORS, path), readJson(path)]);
    }
  };
  walk(folder);
  return found;
}
