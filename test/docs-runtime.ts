// Loaded by the module the docs test builds from a README: checks each `expr; // value` line against
// the real value, and prints the results as the process's last stdout line.
import { claims, textMatches } from "./docs-blocks.js";

interface Failure {
  line: number;
  stated: string;
  problem: string;
  actual: string;
}
const failures: Failure[] = [];
let checked = 0;

function walk(value: unknown, visit: (key: string | undefined, v: unknown) => void, key?: string, seen = new Set<unknown>()): void {
  visit(key, value);
  if (value === null || typeof value !== "object" || seen.has(value) || ArrayBuffer.isView(value)) return;
  seen.add(value);
  if (Array.isArray(value)) for (const v of value) walk(v, visit, undefined, seen);
  else for (const [k, v] of Object.entries(value)) walk(v, visit, k, seen);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))?.slice(0, 600) ?? String(value);
  } catch {
    return String(value);
  }
}

export const __docs = {
  check(actual: unknown, stated: string, line: number): void {
    checked++;
    const { pairs, keys, strings } = claims(stated);
    const seenKeys = new Map<string, unknown[]>();
    const leaves: string[] = [];
    walk(actual, (k, v) => {
      if (k !== undefined) seenKeys.set(k, [...(seenKeys.get(k) ?? []), v]);
      if (typeof v === "string") leaves.push(v);
    });
    const problems: string[] = [];
    for (const key of keys) if (!seenKeys.has(key)) problems.push(`no key ${key}`);
    for (const [key, want] of pairs) {
      const got = seenKeys.get(key) ?? [];
      const ok = got.some((g) => (typeof want === "string" && typeof g === "string" ? textMatches(want, g) : g === want));
      if (!ok && seenKeys.has(key))
        problems.push(`${key} is ${show(got.length === 1 ? got[0] : got)}, the README says ${JSON.stringify(want)}`);
    }
    for (const s of strings) if (!leaves.some((l) => textMatches(s, l))) problems.push(`no string ${JSON.stringify(s)}`);
    if (problems.length) failures.push({ line, stated, problem: problems.join("; "), actual: show(actual) });
  },
  done(): never {
    process.stdout.write(`\n__DOCS_RESULT__${JSON.stringify({ checked, failures })}\n`);
    process.exit(0);
  },
};
