// Structured output: outputConfig.textFormat {type: "json_schema", structure: {jsonSchema: {schema}}}
// makes the reply one text block holding JSON valid against the schema (built by valueFromSchema
// from the last user text: labeled values, subjects, numbers in order, then field defaults).
import type { ConverseRequest, JsonValue } from "../types.js";
import { isObject, lastUserText } from "./conversation.js";
import { valueFromSchema } from "./json-schema.js";
import { withNamedValue } from "./named-value.js";
import { extractFacts } from "./prompt-facts.js";

/** The requested JSON schema (parsed), or undefined when the request does not ask for one. */
export function requestedJsonSchema(request: ConverseRequest): JsonValue | undefined {
  const format = isObject(request.outputConfig) ? request.outputConfig.textFormat : undefined;
  if (!isObject(format) || format.type !== "json_schema") return undefined;
  const structure = isObject(format.structure) ? format.structure.jsonSchema : undefined;
  if (!isObject(structure)) return undefined;
  const schema = structure.schema;
  if (typeof schema === "string") {
    try {
      return JSON.parse(schema) as JsonValue;
    } catch {
      return undefined;
    }
  }
  return isObject(schema) ? schema : undefined;
}

/** The JSON text of the structured reply. */
export function structuredReply(request: ConverseRequest, schema: JsonValue): string {
  const facts = extractFacts(lastUserText(request));
  const value = valueFromSchema(schema, { facts, numberCursor: { next: 0 } });
  return JSON.stringify(isObject(value) ? withNamedValue(schema, value, facts.named) : value);
}
