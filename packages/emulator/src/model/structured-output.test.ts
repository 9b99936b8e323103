import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConverseRequest } from "../types.js";
import { schemaErrors } from "./json-schema.js";
import { requestedJsonSchema, structuredReply } from "./structured-output.js";

const withSchema = (text: string, schema: unknown): ConverseRequest => ({
  messages: [{ role: "user", content: [{ text }] }],
  outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema) } } } },
});

test("the schema is read from outputConfig.textFormat only when it is json_schema", () => {
  assert.deepEqual(requestedJsonSchema(withSchema("x", { type: "object" })), { type: "object" });
  assert.equal(requestedJsonSchema({ outputConfig: { effort: "low" } }), undefined);
  assert.equal(
    requestedJsonSchema({ outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: "{not json" } } } } }),
    undefined,
  );
});

test("the complex LangChain schema: enum picked from the prompt, labeled values, a parsed record", () => {
  const schema = {
    type: "object",
    properties: {
      decision: { type: "string", enum: ["UseAPI", "UseFallback"] },
      explanation: { type: "string" },
      apiDetails: {
        type: "object",
        properties: {
          serviceName: { type: "string" },
          endpointName: { type: "string" },
          parameters: { type: "object", additionalProperties: {} },
          extractionPath: { type: "string" },
        },
        required: ["serviceName", "endpointName", "parameters", "extractionPath"],
        additionalProperties: false,
      },
    },
    required: ["decision", "explanation", "apiDetails"],
    additionalProperties: false,
  };
  const prompt =
    "I want to use the UseFallback because it's safer. For the API details use the following:\n" +
    'Service name: MyService\nEndpoint name: MyEndpoint\nParameters: {"param1":"value1","param2":"value2"}\nExtraction path: Users/johndoe/data';
  const value = JSON.parse(structuredReply(withSchema(prompt, schema), schema));
  assert.deepEqual(schemaErrors(schema, value), []);
  assert.deepEqual(value, {
    decision: "UseFallback",
    explanation: 'Chosen from the request: "I want to use the UseFallback because it\'s safer."',
    apiDetails: {
      serviceName: "MyService",
      endpointName: "MyEndpoint",
      parameters: { param1: "value1", param2: "value2" },
      extractionPath: "Users/johndoe/data",
    },
  });
});
