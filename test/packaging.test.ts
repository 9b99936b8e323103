// What a user of the published packages gets: `npm pack` both packages, install the tarballs into a
// temporary consumer project (with the lockfile's versions of @langchain/core and TypeScript), then
// check the tarball contents, an ES module import, a CommonJS require (both talk to the emulator),
// the `bedrock-emulator` binary, and a strict type check (NodeNext and bundler resolution) of a program
// that uses every export. The consumer install is cached in the OS temp dir under a hash of the two
// tarballs, so a run after no package change skips the install.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { consumerPrograms } from "./packaging-programs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cacheRoot = join(tmpdir(), "bedrock-converse-packaging");
const PACKAGES = [
  { dir: "packages/emulator", name: "bedrock-runtime-emulator" },
  { dir: "packages/chat", name: "langchain-bedrock-converse" },
] as const;

let consumer = "";
const tarballs: Record<string, string> = {};

function run(cmd: string, args: string[], cwd: string, timeoutMs = 240_000): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
}

/** The exact version the project's own install has (so the consumer uses the same). */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

before(async () => {
  mkdirSync(cacheRoot, { recursive: true });
  const packDir = join(cacheRoot, `pack-${process.pid}`);
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const hash = createHash("sha256");
  for (const pkg of PACKAGES) {
    const out = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], join(root, pkg.dir));
    const [{ filename }] = JSON.parse(out) as { filename: string }[];
    const bytes = readFileSync(join(packDir, filename));
    hash.update(bytes);
    tarballs[pkg.name] = filename;
  }
  const versions = ["@langchain/core", "typescript", "@types/node"].map((n) => `${n}@${installedVersion(n)}`);
  hash.update(versions.join(" "));
  const key = hash.digest("hex").slice(0, 16);
  consumer = join(cacheRoot, key);
  if (!existsSync(join(consumer, ".installed"))) {
    // Older installs (other package contents) are of no further use.
    for (const name of readdirSync(cacheRoot))
      if (name !== `pack-${process.pid}`) rmSync(join(cacheRoot, name), { recursive: true, force: true });
    mkdirSync(consumer, { recursive: true });
    for (const file of Object.values(tarballs)) writeFileSync(join(consumer, file), readFileSync(join(packDir, file)));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }, null, 2));
    run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--ignore-scripts",
        "--loglevel=error",
        ...Object.values(tarballs).map((f) => `./${f}`),
        ...versions,
      ],
      consumer,
    );
    writeFileSync(join(consumer, ".installed"), new Date().toISOString());
  }
  rmSync(packDir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(consumerPrograms())) writeFileSync(join(consumer, file), text);
});

after(() => {
  // The cache stays for the next run; only the per-run files go.
  for (const file of Object.keys(consumerPrograms())) rmSync(join(consumer, file), { force: true });
});

test("packaging: each tarball has the ESM and CommonJS builds, types, README, LICENSE and CHANGELOG, and no sources or tests", () => {
  for (const pkg of PACKAGES) {
    const files = run("tar", ["-tzf", join(consumer, tarballs[pkg.name])], consumer)
      .split("\n")
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ""));
    for (const must of [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cjs/index.js",
      "dist/cjs/index.d.ts",
      "dist/cjs/package.json",
    ]) {
      assert.ok(files.includes(must), `${pkg.name} tarball lacks ${must}`);
    }
    const stray = files.filter((f) => f.startsWith("src/") || f.includes(".test.") || f.endsWith(".tsbuildinfo") || f.startsWith("test/"));
    assert.deepEqual(stray, [], `${pkg.name} tarball carries files a user does not need`);
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules", pkg.name, "package.json"), "utf8")) as Record<string, unknown>;
    for (const field of ["repository", "homepage", "keywords", "license", "engines"])
      assert.ok(manifest[field], `${pkg.name} package.json lacks ${field}`);
    for (const [dep, range] of Object.entries((manifest.dependencies ?? {}) as Record<string, string>)) {
      assert.match(range, /^[\^~>]/, `${pkg.name} pins ${dep} to ${range}: a library declares a range`);
    }
  }
  const chatDeps = JSON.parse(readFileSync(join(consumer, "node_modules/langchain-bedrock-converse/package.json"), "utf8")).dependencies;
  assert.equal(chatDeps.zod, undefined, "zod is not a runtime dependency of the chat package");
});

test("packaging: ES module import and CommonJS require both load the packages and answer through the emulator", () => {
  const expected = { content: [{ type: "text", text: "You said: Hello from a consumer" }] };
  const esm = JSON.parse(run(process.execPath, ["esm-check.mjs"], consumer, 60_000));
  const cjs = JSON.parse(run(process.execPath, ["cjs-check.cjs"], consumer, 60_000));
  assert.deepEqual(esm.content, expected.content);
  assert.deepEqual(cjs.content, expected.content);
  assert.equal(cjs.errorIsTyped, true);
  assert.equal(esm.errorIsTyped, true);
  // require() resolved the CommonJS build, import the ES modules.
  assert.match(cjs.resolved, /dist[\\/]cjs[\\/]index\.js$/);
  assert.match(esm.resolved, /dist[\\/]index\.js$/);
  assert.deepEqual(cjs.exports, esm.exports, "the CommonJS and ESM builds export the same names");
});

test("packaging: the bedrock-emulator binary prints its usage and serves Converse", async () => {
  const bin = join(consumer, "node_modules", ".bin", "bedrock-emulator");
  assert.match(run(bin, ["--help"], consumer, 30_000), /^Usage: bedrock-emulator \[options\]/);
  const child = spawn(bin, ["--port", "0", "--quiet"], { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString("utf8");
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`bedrock-emulator exited with ${code} before listening: ${out}`)));
    });
    const res = await fetch(`${url}/model/anthropic.claude-3-haiku-20240307-v1:0/converse`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hello" }] }] }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { output: { message: { content: unknown[] } } };
    assert.deepEqual(body.output.message.content, [{ text: "You said: Hello" }]);
  } finally {
    child.kill("SIGTERM");
  }
});

test("packaging: a program using every export type-checks under strict TypeScript (NodeNext ESM and CommonJS, bundler)", () => {
  const tsc = join(consumer, "node_modules", "typescript", "bin", "tsc");
  // Same installed tarballs (the directory's key) and same programs give the same result: a pass is
  // remembered by the programs' hash, so only a change re-runs tsc.
  const programs = createHash("sha256").update(JSON.stringify(consumerPrograms())).digest("hex").slice(0, 16);
  const passed = join(consumer, `.typecheck-passed-${programs}`);
  if (existsSync(passed)) return;
  for (const project of ["tsconfig.nodenext.json", "tsconfig.bundler.json"]) {
    run(process.execPath, [tsc, "-p", project], consumer, 180_000);
  }
  writeFileSync(passed, "");
});
