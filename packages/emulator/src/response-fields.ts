// additionalModelResponseFieldPaths: the request names JSON pointers (RFC 6901) into the model's
// native response; Bedrock returns just those members, nested as in the source. Picking from an
// already-picked object gives the same object, so applying this after the model is always safe.
import type { JsonObject, JsonValue } from "./types.js";

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The members of `source` named by `pointers`; undefined when none of them exists. */
export function pickResponseFields(source: JsonValue | undefined, pointers: string[]): JsonObject | undefined {
  if (!isObject(source)) return undefined;
  const out: JsonObject = {};
  let found = false;
  for (const pointer of pointers) {
    if (!pointer.startsWith("/")) continue;
    const tokens = pointer.slice(1).split("/").map(unescapePointerToken);
    let value: JsonValue | undefined = source;
    for (const token of tokens) {
      if (Array.isArray(value) && /^\d+$/.test(token)) value = value[Number(token)];
      else if (isObject(value) && Object.hasOwn(value, token)) value = value[token];
      else {
        value = undefined;
        break;
      }
    }
    if (value === undefined) continue;
    // Rebuild the path as nested objects so the client sees the member where the pointer said.
    let target = out;
    for (const token of tokens.slice(0, -1)) {
      if (!isObject(target[token])) target[token] = {};
      target = target[token] as JsonObject;
    }
    target[tokens[tokens.length - 1]] = structuredClone(value);
    found = true;
  }
  return found ? out : undefined;
}
