#!/usr/bin/env node
// Runs every *.test.ts in the workspaces with node's test runner (TypeScript through tsx, workspace
// packages resolved to their sources through the "source" export condition) and ends with the one
// line CI reads: "N passed, N failed[, N skipped]". Exits non-zero when anything failed.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runNodeTests } from "./node-test.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const roots = ["packages", "bench", "examples", "test"].map((d) => join(root, d));

function findTests(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

// Build first (type errors fail the run); a partial run with a filter skips it for speed.
const filter = process.argv.slice(2);
if (filter.length === 0 && !process.env.SKIP_BUILD) {
  const { spawnSync } = await import("node:child_process");
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  // Tests and examples are type-checked too (tsx only strips types).
  const check = build.status === 0 ? spawnSync("npm", ["run", "typecheck", "--silent"], { cwd: root, stdio: "inherit" }) : build;
  if (build.status !== 0 || check.status !== 0) {
    console.log("\nthe TypeScript build or type check failed");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  // Lint, format and unused-export checks (biome check, knip): `npm run lint` shows them, `npx biome
  // check --write` applies the formatter and the safe fixes.
  const lint = spawnSync("npm", ["run", "lint", "--silent"], { cwd: root, stdio: "inherit" });
  if (lint.status !== 0) {
    console.log("\nthe lint, format or unused-export check failed (npm run lint)");
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}
let files = roots.flatMap((d) => findTests(d)).sort();
if (filter.length) files = files.filter((f) => filter.some((p) => relative(root, f).includes(p)));
if (files.length === 0) {
  console.log("no test files found");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const { passed, failed, skipped, reported, code } = await runNodeTests(files, { cwd: root });
if (!reported && failed === 0) {
  console.log(`\n0 passed, 1 failed (the test runner reported nothing; exit ${code})`);
  process.exit(1);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
