// The READMEs' code runs as written against the emulator, and says what it really prints.
//
// Every ts/js block of a README becomes one module, in order (a reader runs them in order, so later
// blocks use earlier names); each `expr; // value` line checks the real value against the stated one
// (keys, `key: value` pairs, strings; `...` stands for any text). Every sh block runs in bash; a
// `# prints: X` comment must appear in its output. The only change to the code is SUBSTITUTION below.
// A block that cannot run here (it installs, runs the whole suite, needs real AWS, starts a server that
// never exits) is opted out by `<!-- docs-test: skip REASON -->` on the line before its fence.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startEmulator, type Emulator, type ScriptReply } from "bedrock-runtime-emulator";
import { codeBlocks, moduleFor, RUNNABLE_SH, RUNNABLE_TS, claims, textMatches } from "./docs-blocks.js";
import { EMULATOR_EXPORTS } from "./packaging-programs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const workDir = join(root, "node_modules", ".cache", "bedrock-converse-docs");

/**
 * The one place where README code is adapted to run here: the endpoint, region and (fake)
 * credentials come from the environment the README documents, the literal address
 * `http://127.0.0.1:8787` (and `--port 8787`) become the test emulator's, and the emulator answers the
 * translation prompt with the reply the README shows (as `npm start` does; its default model would
 * say "You said: I love programming.").
 */
const SUBSTITUTION = {
  env: (url: string): Record<string, string> => ({
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
    AWS_ENDPOINT_URL_BEDROCK: url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDDOCSTESTEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "docs-test-not-a-secret",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  }),
  text: (url: string, port: number): [string, string][] => [
    ["http://127.0.0.1:8787", url],
    ["--port 8787", `--port ${port}`],
  ],
  script: (): ScriptReply[] =>
    Array.from({ length: 20 }, () => ({
      match: "I love programming.",
      output: { message: { role: "assistant" as const, content: [{ text: "J'aime la programmation." }] } },
      usage: { inputTokens: 25, outputTokens: 11, totalTokens: 36 },
    })),
};

function readmes(): string[] {
  const found = ["README.md"];
  for (const dir of readdirSync(join(root, "packages"))) {
    if (existsSync(join(root, "packages", dir, "README.md"))) found.push(join("packages", dir, "README.md"));
  }
  return found;
}

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0, host: "127.0.0.1", script: SUBSTITUTION.script() });
  mkdirSync(workDir, { recursive: true });
});
after(async () => {
  await emu.close();
});

/** The environment of README code: no real AWS configuration, only the substitution's. */
function docsEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_") && !k.startsWith("TOUR_")) env[k] = v;
  return { ...env, ...SUBSTITUTION.env(emu.url) };
}

function substitute(text: string): string {
  let out = text;
  for (const [from, to] of SUBSTITUTION.text(emu.url, emu.port)) out = out.split(from).join(to);
  return out;
}

/**
 * Runs README code in a process group of its own: on timeout the whole group is killed, so a server a
 * block started in the background does not outlive the test (and hold its port).
 */
function runProcess(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: root, env: docsEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    // Background jobs the block left behind hold its stdout open: end them once the block's shell exits.
    child.on("exit", killGroup);
    child.on("close", (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8") + (timedOut ? `\n(killed after ${timeoutMs} ms)` : "");
      resolve({ code: timedOut ? 1 : code, stdout: Buffer.concat(out).toString("utf8"), stderr });
    });
  });
}

test("docs: the block extractor honours fences, languages and the skip marker", () => {
  const md = "a\n<!-- docs-test: skip needs AWS -->\n```ts\nconst x = 1;\nx; // 1\n```\n\n```sh\necho hi # prints: hi\n```\n";
  const blocks = codeBlocks(md);
  assert.deepEqual(
    blocks.map((b) => [b.lang, b.line, b.skip]),
    [
      ["ts", 3, "needs AWS"],
      ["sh", 8, undefined],
    ],
  );
  const { source, stated } = moduleFor(
    [{ lang: "ts", code: 'import { a } from "m";\nconst y = a;\ny.z; // { k: "v...", n: 2 }', line: 1 }],
    "R",
  );
  assert.match(source, /^import \{ a \} from "m";/);
  assert.match(source, /^var y = a;$/m);
  assert.deepEqual(
    stated.map((s) => s.expr),
    ["y.z"],
  );
  assert.deepEqual(claims('{ k: "v...", n: 2, "s" }'), {
    pairs: [
      ["k", "v..."],
      ["n", 2],
    ],
    keys: ["k", "n"],
    strings: ["s"],
  });
  assert.equal(textMatches("tooluse_...", "tooluse_abc"), true);
  assert.equal(textMatches("You said: Hi", "You said: Hello"), false);
});

for (const readme of readmes()) {
  describe(`docs: ${readme}`, () => {
    const blocks = codeBlocks(readFileSync(join(root, readme), "utf8"));
    const ts = blocks.filter((b) => RUNNABLE_TS.has(b.lang));
    const sh = blocks.filter((b) => RUNNABLE_SH.has(b.lang));

    test("every opted-out block says why", () => {
      for (const b of blocks)
        if (b.skip !== undefined)
          assert.ok(b.skip.length >= 8 && b.skip !== "(no reason given)", `${readme}:${b.line}: give a reason after "docs-test: skip"`);
    });

    const runnableTs = ts.filter((b) => b.skip === undefined);
    if (runnableTs.length > 0) {
      test(`its ${runnableTs.length} ts/js block(s) run against the emulator and print what the README states`, async () => {
        const { source, stated } = moduleFor(
          runnableTs.map((b) => ({ ...b, code: substitute(b.code) })),
          readme,
        );
        const runtime = pathToFileURL(join(root, "test", "docs-runtime.ts")).href;
        const file = join(workDir, `${readme.replace(/[\\/]/g, "__")}.mts`);
        writeFileSync(file, `import { __docs } from ${JSON.stringify(runtime)};\n${source}\n__docs.done();\n`);
        const run = await runProcess(process.execPath, ["--conditions=source", "--import", "tsx", file], 180_000);
        const marker = run.stdout.lastIndexOf("__DOCS_RESULT__");
        assert.ok(
          marker >= 0,
          `${readme}: the README code did not run to its end (exit ${run.code}); generated module: ${relative(root, file)}\n${run.stderr.slice(-3000)}`,
        );
        const result = JSON.parse(run.stdout.slice(marker + "__DOCS_RESULT__".length).split("\n")[0]) as {
          checked: number;
          failures: { line: number; stated: string; problem: string; actual: string }[];
        };
        assert.equal(result.checked, stated.length, "every stated output was reached");
        assert.deepEqual(
          result.failures.map((f) => `${readme}:${f.line}: ${f.problem}\n  states: ${f.stated}\n  actual: ${f.actual}`),
          [],
        );
      });
    }

    for (const block of sh.filter((b) => b.skip === undefined)) {
      test(`the sh block at line ${block.line} runs and prints what it states`, async () => {
        const code = substitute(block.code);
        const run = await runProcess("bash", ["-e", "-o", "pipefail", "-c", code], 60_000);
        assert.equal(run.code, 0, `${readme}:${block.line} failed:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
        for (const m of code.matchAll(/#\s*prints:\s*(.+)$/gm)) {
          assert.ok(
            run.stdout.includes(m[1].trim()),
            `${readme}:${block.line} should print ${m[1].trim()}; it printed:\n${run.stdout.slice(-2000)}`,
          );
        }
      });
    }
  });
}

test("docs: the emulator README's list of exports is exactly what the package exports", () => {
  const text = readFileSync(join(root, "packages/emulator/README.md"), "utf8");
  const start = text.indexOf("## The package's exports");
  assert.ok(start >= 0, 'the emulator README has a "## The package\'s exports" section');
  const section = text.slice(start, text.indexOf("\n## ", start + 1) === -1 ? undefined : text.indexOf("\n## ", start + 1));
  const listed = new Set([...section.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]));
  const actual = new Set(EMULATOR_EXPORTS().map((e) => e.name));
  assert.deepEqual([...listed].filter((n) => !actual.has(n)).sort(), [], "named in the README but not exported");
  assert.deepEqual([...actual].filter((n) => !listed.has(n)).sort(), [], "exported but not in the README's list");
});
