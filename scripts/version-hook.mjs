// Module resolve hook of the version matrix (scripts/version-matrix.mjs): redirects a package to an
// npm alias installed beside it, e.g. "@langchain/core/messages" → "langchain-core-oldest/messages", so
// the same sources and tests run against another version. Aliases come from VERSION_MATRIX_ALIASES
// (JSON {"@langchain/core": "langchain-core-oldest", "zod": "zod-v3"}).
import { register } from "node:module";

const aliases = process.env.VERSION_MATRIX_ALIASES;
if (aliases) register(new URL(import.meta.url), { data: JSON.parse(aliases) });

let map = {};
export function initialize(data) {
  map = data ?? {};
}

export async function resolve(specifier, context, next) {
  for (const [from, to] of Object.entries(map)) {
    if (specifier === from || specifier.startsWith(`${from}/`)) return next(to + specifier.slice(from.length), context);
  }
  return next(specifier, context);
}
