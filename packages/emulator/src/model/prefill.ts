// Assistant prefill: when the conversation ends with an assistant turn, the reply continues that
// turn's text instead of starting a new answer (as real Claude and Nova do).
//   JSON prefill ("{", "[", "```json", "```json\n{"): the continuation completes one JSON value
//     (built from the JSON schema the system or user prompt gives, else {"answer": ...}), then
//     closes an open ``` fence, so a "```" stop sequence ends the reply right after the value.
//   Any other prefill: a space, then the plain reply.
import type { ConverseRequest, JsonValue } from "../types.js";
import { isObject, systemText, textOfBlocks } from "./conversation.js";
import { structuredReply } from "./structured-output.js";
import { textReply } from "./text-reply.js";

/** The text of the final assistant turn (the prefill), or undefined when the last turn is the user's. */
export function prefillOf(request: ConverseRequest): string | undefined {
  const messages = request.messages ?? [];
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant") return undefined;
  const text = textOfBlocks(last.content);
  return text.length ? text : undefined;
}

/** The end of a balanced JSON object or array starting at `start` (exclusive), or -1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const MAX_CANDIDATES = 64;

/** The first JSON object in `text` that reads as a JSON schema (has type, properties or $schema). */
export function schemaInText(text: string): JsonValue | undefined {
  let from = 0;
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const start = text.indexOf("{", from);
    if (start < 0) return undefined;
    const end = balancedEnd(text, start);
    if (end < 0) return undefined;
    try {
      const parsed = JSON.parse(text.slice(start, end)) as JsonValue;
      if (isObject(parsed) && ("properties" in parsed || "type" in parsed || "$schema" in parsed)) return parsed;
      from = end;
    } catch {
      from = start + 1;
    }
  }
  return undefined;
}

function promptSchema(request: ConverseRequest): JsonValue | undefined {
  const userTexts = (request.messages ?? []).filter((m) => m.role === "user").map((m) => textOfBlocks(m.content));
  for (const text of [systemText(request), ...userTexts]) {
    const schema = schemaInText(text);
    if (schema !== undefined) return schema;
  }
  return undefined;
}

/** The reply text that continues `prefill`. */
export function continuePrefill(request: ConverseRequest, prefill: string): string {
  // An odd number of fences leaves one open: what follows it (after its language tag) is the partial value.
  const opensFence = (prefill.match(/```/g) ?? []).length % 2 === 1;
  const partial = (opensFence ? prefill.slice(prefill.lastIndexOf("```") + 3).replace(/^[a-zA-Z]*/, "") : prefill).trim();
  const jsonMode = opensFence || partial.startsWith("{") || partial.startsWith("[");
  if (!jsonMode) return ` ${textReply(request)}`;
  const schema = promptSchema(request);
  const json =
    schema !== undefined
      ? structuredReply(request, schema)
      : JSON.stringify(partial.startsWith("[") ? [textReply(request)] : { answer: textReply(request) });
  const compactPartial = partial.replace(/\s+/g, "");
  const rest = json.startsWith(compactPartial) ? json.slice(compactPartial.length) : `${partial ? "\n" : ""}${json}`;
  const lead = partial ? "" : "\n";
  return `${lead}${rest}${opensFence ? "\n```" : ""}`;
}
