// The bedrock-emulator CLI: one "listening" line with the real port, a line per request, and a
// clean exit on SIGTERM/SIGINT.
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { client, MODEL, TIMEOUT, userMessage } from "./helpers.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const LINKED = join(ROOT, "node_modules", ".bin", "bedrock-emulator");

/** The CLI from its sources, or (linked) the `bedrock-emulator` command npm installed. */
function startCli(args: string[], linked = false) {
  const child = linked
    ? spawn(LINKED, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, ["--conditions=source", "--import", "tsx", CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let buffer = "";
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  async function waitForLines(n: number) {
    while (lines.length < n) {
      if (child.exitCode !== null) throw new Error(`CLI exited early: ${lines.join("\n")}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return lines;
  }
  return { child, lines, waitForLines, exited };
}

function kill(child: ChildProcess) {
  if (child.exitCode === null) child.kill("SIGKILL");
}

describe("bedrock-emulator CLI", () => {
  test("--port 0 prints the real port, logs requests, exits 0 on SIGTERM", TIMEOUT, async () => {
    const dir = mkdtempSync(join(tmpdir(), "bedrock-emulator-"));
    const scriptFile = join(dir, "script.json");
    writeFileSync(scriptFile, JSON.stringify([{ text: "scripted from a file" }]));
    const cli = startCli(["--port", "0", "--script", scriptFile, "--no-padding"]);
    try {
      const [first] = await cli.waitForLines(1);
      const m = /^Bedrock Runtime emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
      assert.ok(m, `unexpected first line: ${first}`);
      assert.notEqual(Number(m[2]), 0);
      const c = client(m[1]);
      try {
        const out = await c.send(new ConverseCommand({ modelId: MODEL, messages: userMessage("hi") }));
        assert.deepEqual(out.output!.message!.content, [{ text: "scripted from a file" }]);
      } finally {
        c.destroy();
      }
      const [, line] = await cli.waitForLines(2);
      assert.match(line, /^POST \/model\/anthropic\.claude-3-5-sonnet-20240620-v1%3A0\/converse 200 \d+ms$/);
      cli.child.kill("SIGTERM");
      assert.deepEqual(await cli.exited, { code: 0, signal: null });
    } finally {
      kill(cli.child);
    }
  });

  test("SIGINT also stops it cleanly", TIMEOUT, async () => {
    const cli = startCli(["--port", "0", "--quiet"]);
    try {
      await cli.waitForLines(1);
      cli.child.kill("SIGINT");
      assert.deepEqual(await cli.exited, { code: 0, signal: null });
      assert.equal(cli.lines.length, 1);
    } finally {
      kill(cli.child);
    }
  });

  test("the bedrock-emulator command that npm install links runs the built CLI", TIMEOUT, async () => {
    const cli = startCli(["--port", "0", "--quiet"], true);
    try {
      const [first] = await cli.waitForLines(1);
      assert.match(first, /^Bedrock Runtime emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      cli.child.kill("SIGTERM");
      assert.deepEqual(await cli.exited, { code: 0, signal: null });
    } finally {
      kill(cli.child);
    }
  });

  test("--help prints usage; a bad flag exits 2", TIMEOUT, async () => {
    const help = startCli(["--help"]);
    const bad = startCli(["--port", "nope"]);
    try {
      assert.deepEqual(await help.exited, { code: 0, signal: null });
      assert.equal(help.lines[0], "Usage: bedrock-emulator [options]");
      assert.deepEqual(await bad.exited, { code: 2, signal: null });
    } finally {
      kill(help.child);
      kill(bad.child);
    }
  });
});
