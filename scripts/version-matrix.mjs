#!/usr/bin/env node
// `npm run test:versions`: the supported-versions matrix. Runs a representative slice of the tests once
// per combination of @langchain/core (the oldest supported, 1.1.43: older cores put each tool call twice in v1 content, and the project's own, the
// newest 1.x when this was written) and zod (3 and 4), through npm aliases installed as dev
// dependencies (langchain-core-oldest, zod-v3) and scripts/version-hook.mjs. Ends with the one line
// CI reads, "N passed, N failed", summed over the combinations; exits non-zero when anything failed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runNodeTests } from "./node-test.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const version = (dir) => JSON.parse(readFileSync(join(root, "node_modules", dir, "package.json"), "utf8")).version;

const CORE = [
  {
    label: `@langchain/core ${version("langchain-core-oldest")} (oldest supported)`,
    alias: "langchain-core-oldest",
    version: version("langchain-core-oldest"),
  },
  {
    label: `@langchain/core ${version("@langchain/core")} (the project's, newest 1.x)`,
    alias: undefined,
    version: version("@langchain/core"),
  },
];
const ZOD = [
  { label: `zod ${version("zod-v3")}`, alias: "zod-v3", version: version("zod-v3") },
  { label: `zod ${version("zod")}`, alias: undefined, version: version("zod") },
];
// The slice: written for every version (test/versions), plus suites that exercise the core APIs the
// model builds on (messages, streaming, tools, structured output, standard blocks, the agent loop).
const SLICE = [
  "test/versions/matrix.test.ts",
  "packages/chat/test/core.test.ts",
  "packages/chat/test/stream-paths.test.ts",
  "packages/chat/test/content.test.ts",
  "packages/chat/test/caching.test.ts",
  "packages/chat/test/tool-args-numbers.test.ts",
  "packages/chat/src/convert/messages.test.ts",
  "packages/chat/src/convert/response.test.ts",
  "packages/chat/src/convert/stream.test.ts",
  "packages/chat/src/structured.test.ts",
];
// Suites whose own code uses zod 4-only API (.meta(), z.toJSONSchema) run with zod 4 only.
const ZOD4_ONLY = new Set(["packages/chat/src/structured.test.ts"]);

async function runOnce(core, zod) {
  const aliases = {};
  if (core.alias) aliases["@langchain/core"] = core.alias;
  if (zod.alias) aliases.zod = zod.alias;
  const files = SLICE.filter((f) => !(zod.alias && ZOD4_ONLY.has(f)));
  const env = {
    ...process.env,
    VERSION_MATRIX_ALIASES: JSON.stringify(aliases),
    VERSION_MATRIX_EXPECT: JSON.stringify({ "@langchain/core": core.version, zod: zod.version }),
  };
  const r = await runNodeTests(files, { cwd: root, env, preload: ["./scripts/version-hook.mjs"] });
  return { passed: r.passed, failed: r.reported ? r.failed : Math.max(r.failed, 1) };
}

let passed = 0;
let failed = 0;
const lines = [];
for (const core of CORE) {
  for (const zod of ZOD) {
    console.log(`\n=== ${core.label} + ${zod.label} ===`);
    const r = await runOnce(core, zod);
    passed += r.passed;
    failed += r.failed;
    lines.push(`${core.label} + ${zod.label}: ${r.passed} passed, ${r.failed} failed`);
  }
}
console.log("\n=== version matrix ===");
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
