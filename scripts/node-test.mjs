// Runs node's test runner on test files in a child process (TypeScript through tsx, workspace
// packages resolved to their sources through the "source" export condition), echoes its output, and
// counts what its summary reports. Shared by run-tests.mjs and version-matrix.mjs.
import { spawn } from "node:child_process";

/**
 * @param {string[]} files
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, preload?: string[] }} options  preload: modules
 *   imported before tsx (e.g. a resolve hook)
 * @returns {Promise<{ passed: number, failed: number, skipped: number, reported: boolean, code: number | null }>}
 *   `failed` counts a non-zero exit with no failing test as one failure; `reported` is false when the
 *   runner printed no summary at all.
 */
export function runNodeTests(files, { cwd, env = process.env, preload = [] }) {
  const args = [
    ...preload.flatMap((module) => ["--import", module]),
    "--conditions=source",
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
    const counts = {};
    let tail = "";
    // The summary ("ℹ tests N", ...) comes before the list of failing tests, which can be long, so
    // every line is read as it arrives rather than only the end of the output.
    const readSummary = (line) => {
      const m = /^\S*\s*(tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
      if (m) counts[m[1]] = Number(m[2]);
    };
    child.stdout.on("data", (buf) => {
      process.stdout.write(buf);
      const lines = (tail + buf.toString("utf8")).split("\n");
      tail = lines.pop() ?? "";
      for (const line of lines) readSummary(line);
    });
    child.on("close", (code) => {
      readSummary(tail);
      resolve({
        passed: counts.pass ?? 0,
        failed: (counts.fail ?? 0) + (counts.cancelled ?? 0) + (code !== 0 && !(counts.fail > 0) ? 1 : 0),
        skipped: (counts.skipped ?? 0) + (counts.todo ?? 0),
        reported: counts.tests > 0,
        code,
      });
    });
  });
}
