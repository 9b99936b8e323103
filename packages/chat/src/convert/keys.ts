/** Small, allocation-conscious helpers shared by the converters. */
import { isPlainObject } from "./objects.js";

export type Dict = Record<string, unknown>;

/** A plain object whose keys the converters may rename or read; byte arrays are values, not dicts. */
export function isDict(value: unknown): value is Dict {
  return isPlainObject(value) && !ArrayBuffer.isView(value);
}

const snakeCache = new Map<string, string>();
const camelCache = new Map<string, string>();

function camelToSnake(key: string): string {
  let out = snakeCache.get(key);
  if (out === undefined) {
    out = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (snakeCache.size < 4096) snakeCache.set(key, out);
  }
  return out;
}

export function snakeToCamel(key: string): string {
  let out = camelCache.get(key);
  if (out === undefined) {
    out = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelCache.size < 4096) camelCache.set(key, out);
  }
  return out;
}

/**
 * Recursively renames object keys; byte arrays and the values under `opaqueKeys` (tool input, json payloads)
 * are kept by reference, never copied or renamed.
 */
function renameKeys(value: unknown, rename: (key: string) => string, opaqueKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = renameKeys(value[i], rename, opaqueKeys);
      if (next !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(next);
    }
    return out ?? value;
  }
  if (!isDict(value)) return value;
  // Returns the same object when nothing changes (no allocation for already-converted blocks).
  let out: Dict | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = value[key];
    const newKey = rename(key);
    const newValue = opaqueKeys.has(key) ? v : renameKeys(v, rename, opaqueKeys);
    if (!out && (newKey !== key || newValue !== v)) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
    }
    if (out) out[newKey] = newValue;
  }
  return out ?? value;
}

const OPAQUE = new Set(["input", "json", "bytes"]);

/** Converse (camelCase) → LangChain-side snake_case keys. `input`, `json` and `bytes` values are untouched. */
export function toSnakeKeys<T = Dict>(value: unknown): T {
  return renameKeys(value, camelToSnake, OPAQUE) as T;
}

/** snake_case → Converse camelCase keys. `input`, `json` and `bytes` values are untouched. */
export function toCamelKeys<T = Dict>(value: unknown): T {
  return renameKeys(value, snakeToCamel, OPAQUE) as T;
}

/** Base64 of a byte array without copying it. */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Bytes of a base64 string as a plain Uint8Array (a view on the decoded buffer, no second copy). */
export function base64ToBytes(data: string): Uint8Array {
  const buf = Buffer.from(data, "base64");
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Parses a (possibly partial or empty) JSON object string; "" and unparsable input give {}. */
export function parseToolInput(input: unknown): Dict {
  if (isDict(input)) return input;
  if (typeof input !== "string") return {};
  const trimmed = input.trim();
  if (trimmed === "") return {};
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return isDict(parsed) ? parsed : {};
  } catch {
    return parsePartialJsonObject(trimmed);
  }
}

/** Best-effort completion of a truncated JSON object (closes open strings, arrays and objects). */
function parsePartialJsonObject(text: string): Dict {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") stack.push("}");
    else if (c === "[") stack.push("]");
    else if (c === "}" || c === "]") stack.pop();
  }
  let candidate = text + (inString ? '"' : "");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const parsed: unknown = JSON.parse(candidate + [...stack].reverse().join(""));
      return isDict(parsed) ? parsed : {};
    } catch {
      // drop a dangling ',' / ':' / partial key and retry
      candidate = candidate.replace(/(,\s*"[^"]*"\s*:?\s*|,\s*|:\s*)$/, "");
    }
  }
  return {};
}

/** JSON as Python's `json.dumps(value, ensure_ascii=False)` writes it (", " and ": "), so the text matches Python's. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v === undefined ? null : v)).join(", ")}]`;
  if (isDict(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The inner object of a `reasoning_content` block, in either spelling (Python's or camelCase). */
export function reasoningContentOf(block: Dict): Dict | undefined {
  if (isDict(block.reasoning_content)) return block.reasoning_content;
  return isDict(block.reasoningContent) ? block.reasoningContent : undefined;
}
