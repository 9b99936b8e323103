// A quoted name from the prompt ("a customer named '你好啊集团'", "a project called \"Acme\"") goes
// into one string field of the generated object: the name-like one (customer_name, name, title),
// else the first required string field. The value is used only where the schema accepts it.
import type { JsonObject, JsonValue } from "../types.js";
import { isObject } from "./conversation.js";
import { identifierWords } from "./field-text.js";
import { deref, schemaErrors } from "./json-schema.js";

const NAME_WORDS = new Set(["name", "names", "title", "label", "called"]);

function isStringSchema(s: JsonValue): boolean {
  if (!isObject(s)) return false;
  return s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"));
}

/** The top-level property a quoted name belongs in, or undefined when none fits. */
export function namedProperty(schema: JsonValue): string | undefined {
  const s = deref(schema, schema);
  if (!isObject(s) || !isObject(s.properties)) return undefined;
  const strings = Object.entries(s.properties)
    .filter(([, p]) => isStringSchema(deref(p, schema)))
    .map(([k]) => k);
  const nameLike = strings.find((k) => identifierWords(k).some((w) => NAME_WORDS.has(w)));
  if (nameLike) return nameLike;
  const required = Array.isArray(s.required) ? s.required : [];
  return strings.find((k) => required.includes(k));
}

/** `value` with the first quoted name in its name-like field (unchanged when nothing fits). */
export function withNamedValue(schema: JsonValue, value: JsonObject, named: readonly string[]): JsonObject {
  const prop = named.length ? namedProperty(schema) : undefined;
  if (!prop) return value;
  const s = deref(schema, schema);
  const propSchema = isObject(s) && isObject(s.properties) ? deref(s.properties[prop], schema) : undefined;
  if (propSchema !== undefined && schemaErrors(propSchema, named[0], schema).length) return value;
  return { ...value, [prop]: named[0] };
}
