// Summarises a .cpuprofile: self time and inclusive time per function (file:line), top N.
// Usage: node bench/src/profile-summary.mjs <file.cpuprofile> [N] [filter-substring]
import { readFileSync } from "node:fs";
const [file, nText = "30", filter = ""] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const key = (n) => {
  const f = n.callFrame;
  const url = f.url
    .replace(/^file:\/\//, "")
    .replace(/.*node_modules\//, "nm/")
    .replace(/.*\/work\/main\//, "");
  return `${f.functionName || "(anon)"} ${url}:${f.lineNumber + 1}`;
};
const self = new Map();
const incl = new Map();
let total = 0;
for (const [id, t] of dt) {
  total += t;
  const n = byId.get(id);
  self.set(key(n), (self.get(key(n)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + t);
  }
}
const top = (m) =>
  [...m]
    .filter(([k]) => k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(nText));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
console.log("--- self");
for (const [k, t] of top(self)) console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
console.log("--- inclusive");
for (const [k, t] of top(incl)) console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
// With a 4th argument: the callers of functions whose key contains it (inclusive time by caller).
const callersOf = process.argv[5];
if (callersOf) {
  const callers = new Map();
  for (const [id, t] of dt) {
    const chain = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(key(byId.get(cur)));
    const i = chain.findIndex((k) => k.includes(callersOf));
    if (i >= 0 && chain[i + 1]) {
      const k = `${chain[i + 1]}  →  ${chain[i]}`;
      callers.set(k, (callers.get(k) ?? 0) + t);
    }
  }
  console.log(`--- callers of ${callersOf}`);
  for (const [k, t] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
// Self time by package (always printed last).
const buckets = new Map();
for (const [k, t] of self) {
  const loc = k.slice(k.indexOf(" ") + 1);
  const b = loc.startsWith("nm/")
    ? loc
        .split("/")
        .slice(1, loc.split("/")[1].startsWith("@") ? 3 : 2)
        .join("/")
    : loc.startsWith("packages/")
      ? loc.split("/").slice(0, 2).join("/")
      : loc.startsWith("node:")
        ? "node internals"
        : loc.startsWith("bench/")
          ? "bench"
          : k.split(" ")[0];
  buckets.set(b, (buckets.get(b) ?? 0) + t);
}
console.log("--- self time by package");
for (const [b, t] of [...buckets].sort((x, y) => y[1] - x[1]).slice(0, 14))
  console.log(`${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${b}`);
