// One representation for numbers in JSON documents from Bedrock (tool input, additional fields, traces).
//
// On Node >= 21 the AWS SDK's JSON parser sees each number's source text and keeps what a double cannot
// hold exactly: a `BigInt` for an integer beyond 2^53, a `NumericValue` object for a long decimal. On Node 20
// it cannot, and a stream's tool input is a JSON string that LangChain parses with `JSON.parse`. So the same
// reply gave a BigInt on one path and a number on the other, and a BigInt breaks `JSON.stringify`,
// checkpointers, tracers and `z.number()`. Here every value becomes what `JSON.parse` of the same text
// gives; an integer beyond Number.MAX_SAFE_INTEGER (possibly rounded) is reported by its path, never
// rounded silently.

import { warn } from "../warnings.js";
/** Called once per integer beyond Number.MAX_SAFE_INTEGER: its path and its exact source digits when known. */
export type UnsafeIntegerHandler = (path: string, value: number, exact: string | undefined) => void;

/**
 * `value` with every `BigInt` and SDK `NumericValue` turned into the number `JSON.parse` would give.
 * Objects and arrays are copied only where something changed; byte arrays and other class instances
 * are kept as they are.
 */
export function toPlainJsonNumbers(value: unknown, path: string, onUnsafe: UnsafeIntegerHandler): unknown {
  switch (typeof value) {
    case "bigint": {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) onUnsafe(path, n, value.toString());
      return n;
    }
    case "number":
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) onUnsafe(path, value, undefined);
      return value;
    case "object":
      break;
    default:
      return value;
  }
  if (value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = toPlainJsonNumbers(value[i], `${path}[${i}]`, onUnsafe);
      if (next !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(next);
    }
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const numeric = numericValueText(value);
    if (numeric === undefined) return value;
    const n = Number(numeric);
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) onUnsafe(path, n, numeric);
    return n;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const before = record[key];
    const next = toPlainJsonNumbers(before, joinPath(path, key), onUnsafe);
    if (next !== before && !out) out = { ...record };
    if (out) out[key] = next;
  }
  return out ?? value;
}

/** The numbers in a JSON text that `JSON.parse` rounds: integers beyond Number.MAX_SAFE_INTEGER. */
export function reportUnsafeIntegersInJsonText(text: string, path: string, onUnsafe: UnsafeIntegerHandler): void {
  // Cheap test first: no run of 16+ digits and no exponent means every number is exact.
  if (!/\d{16}|\d[eE]/.test(text)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return; // not JSON: LangChain reports it as an invalid tool call
  }
  toPlainJsonNumbers(parsed, path, onUnsafe);
}

/** The warning for an integer beyond Number.MAX_SAFE_INTEGER. */
export function unsafeIntegerWarning(where: string, value: number, exact: string | undefined): string {
  const shown = exact !== undefined && exact !== String(value) ? `${exact} (kept as the nearest number, ${value})` : String(value);
  return (
    `Bedrock returned an integer beyond Number.MAX_SAFE_INTEGER at ${where}: ${shown}. ` +
    "It is a JavaScript number, as JSON.parse gives it, and may have been rounded. " +
    "If the exact digits matter (ids, nanosecond timestamps), ask for them as a string in the tool's schema."
  );
}

/** Default handler: a process warning of type BedrockConverseWarning, `where` prefixing the path. */
export function warnUnsafeIntegers(where: string): UnsafeIntegerHandler {
  return (path, value, exact) => warn(unsafeIntegerWarning(`${where}${path}`, value, exact));
}

/**
 * A converted content block with plain JSON numbers. A tool_use block's input is reported as the tool
 * call's `args` (what the user reads), any other block by its place in `content`.
 */
export function plainContentBlock(block: Record<string, unknown>, index: number): Record<string, unknown> {
  if (block.type === "tool_use") {
    const input = toPlainJsonNumbers(block.input, "args", warnUnsafeIntegers(`${toolCallLabel(block.name, block.id)} `));
    return input === block.input ? block : { ...block, input };
  }
  return toPlainJsonNumbers(block, `content[${index}]`, warnUnsafeIntegers("")) as Record<string, unknown>;
}

/** `tool call "name" (id)`, how warnings name a tool call. */
function toolCallLabel(name: unknown, id: unknown): string {
  return `tool call ${JSON.stringify(String(name ?? ""))}${typeof id === "string" && id ? ` (${id})` : ""}`;
}

/** The exact text of an SDK `NumericValue` ({string, type: "bigDecimal"} of a class), else undefined. */
function numericValueText(value: object): string | undefined {
  const v = value as { string?: unknown; type?: unknown };
  return v.type === "bigDecimal" && typeof v.string === "string" ? v.string : undefined;
}

function joinPath(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}

/**
 * For a stream: collects each tool_use block's input text and, when the block stops, warns about the
 * integers LangChain's `JSON.parse` of it will round (the same warning invoke gives).
 */
export class StreamedToolInputCheck {
  private readonly open = new Map<number, { label: string; parts: string[] }>();

  start(index: number, name: unknown, id: unknown): void {
    this.open.set(index, { label: toolCallLabel(name, id), parts: [] });
  }

  add(index: number, text: string): void {
    this.open.get(index)?.parts.push(text);
  }

  stop(index: number): void {
    const entry = this.open.get(index);
    if (!entry) return;
    this.open.delete(index);
    reportUnsafeIntegersInJsonText(entry.parts.join(""), "args", warnUnsafeIntegers(`${entry.label} `));
  }
}
