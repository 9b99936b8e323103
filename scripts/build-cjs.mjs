#!/usr/bin/env node
// The CommonJS build beside the ES modules: each package's src compiled again with module CommonJS into
// dist/cjs/, marked {"type": "commonjs"} so Node and TypeScript read those .js/.d.ts files as CommonJS.
// `require("langchain-bedrock-converse")` then loads it through the "require" export condition, in
// every Node version and in test runners with their own module loader (jest).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const wanted = process.argv.slice(2);
for (const pkg of wanted.length ? wanted : ["emulator", "chat"]) {
  const dir = join(root, "packages", pkg);
  const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.cjs.json"], { cwd: dir, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`the CommonJS build of packages/${pkg} failed`);
    process.exit(run.status ?? 1);
  }
  mkdirSync(join(dir, "dist", "cjs"), { recursive: true });
  writeFileSync(join(dir, "dist", "cjs", "package.json"), '{ "type": "commonjs" }\n');
}
