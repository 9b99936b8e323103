// Which recorded interaction answers a request: same operation, same model id, same body once
// normalised (key order does not matter; ignored fields are removed; ARN account ids are
// placeholders). When none matches, the nearest one and the first difference explain why.
import type { JsonValue } from "../types.js";
import { scrubAccountIds, scrubJson } from "./scrub.js";

/**
 * Fields left out of the comparison by default: `requestMetadata` only tags a request for
 * invocation logs and never changes the answer (and often holds run-specific ids).
 */
export const DEFAULT_MATCH_IGNORE = ["requestMetadata"];

export interface RequestKey {
  operation: string;
  modelId: string;
  body: JsonValue | undefined;
}

export interface Difference {
  /** e.g. "body.messages[0].content[0].text" */
  path: string;
  recorded: string;
  got: string;
}

/**
 * Dot paths; `*` matches any key or array index, e.g. `messages.*.content.*.image.source.bytes`.
 * Returns a copy without those fields.
 */
export function removeFields(value: JsonValue | undefined, paths: string[]): JsonValue | undefined {
  let out = value;
  for (const path of paths) out = removePath(out, path.split(".").filter(Boolean));
  return out;
}

function removePath(value: JsonValue | undefined, parts: string[]): JsonValue | undefined {
  if (parts.length === 0 || value === null || typeof value !== "object") return value;
  const [head, ...rest] = parts;
  if (Array.isArray(value)) {
    if (head !== "*" && !/^\d+$/.test(head)) return value;
    return value.map((item, i) => (head === "*" || Number(head) === i ? removePath(item, rest) : item)) as JsonValue[];
  }
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    if (head === "*" || head === key) {
      if (rest.length === 0) continue;
      const kept = removePath(item, rest);
      if (kept !== undefined) out[key] = kept;
    } else out[key] = item;
  }
  return out;
}

/** The comparable form of a request: scrubbed, ignored fields removed, keys sorted. */
export function normaliseKey(key: RequestKey, ignore: string[]): RequestKey {
  const body = key.body === undefined ? undefined : sortKeys(removeFields(scrubJson(key.body), ignore)!);
  return { operation: key.operation, modelId: scrubAccountIds(key.modelId), body };
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

/** Canonical text of a normalised key, for exact matching. */
export function keyText(key: RequestKey): string {
  return `${key.operation} ${key.modelId} ${key.body === undefined ? "" : JSON.stringify(key.body)}`;
}

const MAX_SHOWN = 80;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}

/** Every difference between two normalised keys (up to `limit`), in document order. */
export function differences(recorded: RequestKey, got: RequestKey, limit = 50): Difference[] {
  const out: Difference[] = [];
  if (recorded.operation !== got.operation) out.push({ path: "operation", recorded: recorded.operation, got: got.operation });
  if (recorded.modelId !== got.modelId) out.push({ path: "modelId", recorded: recorded.modelId, got: got.modelId });
  diffValues(recorded.body, got.body, "body", out, limit);
  return out;
}

function diffValues(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: Difference[], limit: number): void {
  if (out.length >= limit) return;
  const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
  if (bothObjects && Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (bothObjects && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diffValues(a[key], b[key], `${path}.${key}`, out, limit);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, recorded: show(a), got: show(b) });
}

/** How far apart two keys are: a different operation outweighs a different model, which outweighs body fields. */
export function distance(recorded: RequestKey, got: RequestKey): number {
  let score = 0;
  if (recorded.operation !== got.operation) score += 10_000;
  if (recorded.modelId !== got.modelId) score += 1_000;
  const body: Difference[] = [];
  diffValues(recorded.body, got.body, "body", body, 999);
  return score + body.length;
}
