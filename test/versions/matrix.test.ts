// The supported-versions slice: what a user does with ChatBedrockConverse, written so it runs on every
// supported @langchain/core 1.x and on zod 3 and zod 4. `npm run test:versions` runs it (with a few
// other suites) once per combination, redirecting the packages to npm aliases; in `npm test` it runs
// on the project's own versions. VERSION_MATRIX_EXPECT says which versions must really be loaded.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AIMessage, HumanMessage, SystemMessage, type ToolMessage, type AIMessageChunk } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import type { Emulator } from "bedrock-runtime-emulator";
import { createCachePoint } from "langchain-bedrock-converse";
import { emulator, model } from "../../packages/chat/test/helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

/** The version of the package a specifier really resolves to (through any matrix redirect). */
function loadedVersion(specifier: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(specifier)));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return pkg.version;
    } catch {
      /* keep walking up */
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${specifier}`);
    dir = up;
  }
}

test(`versions: the expected @langchain/core and zod are loaded (core ${loadedVersion("@langchain/core/messages")}, zod ${loadedVersion("zod")})`, () => {
  const expect = process.env.VERSION_MATRIX_EXPECT ? (JSON.parse(process.env.VERSION_MATRIX_EXPECT) as Record<string, string>) : {};
  if (expect["@langchain/core"]) assert.equal(loadedVersion("@langchain/core/messages"), expect["@langchain/core"]);
  if (expect.zod) assert.equal(loadedVersion("zod"), expect.zod);
  assert.equal(typeof z.object, "function");
});

const GetWeather = tool(async ({ location }: { location: string }) => `It is sunny in ${location}.`, {
  name: "GetWeather",
  description: "Get the current weather in a given location",
  schema: z.object({ location: z.string().describe("The city and state, e.g. San Francisco, CA") }),
});

test("versions: invoke and stream give list content, usage and metadata, and agree", async () => {
  const llm = model(emu);
  const msg = await llm.invoke([new SystemMessage("Be brief."), new HumanMessage("Hello there")]);
  assert.deepEqual(msg.content, [{ type: "text", text: "You said: Hello there" }]);
  assert.equal(typeof (msg.response_metadata.metrics as { latencyMs?: unknown }).latencyMs, "number");
  assert.equal(msg.usage_metadata?.total_tokens, (msg.usage_metadata?.input_tokens ?? 0) + (msg.usage_metadata?.output_tokens ?? 0));
  let full: AIMessageChunk | undefined;
  for await (const chunk of await llm.stream([new SystemMessage("Be brief."), new HumanMessage("Hello there")]))
    full = full ? full.concat(chunk) : chunk;
  assert.equal(full?.text, "You said: Hello there");
  assert.deepEqual(full?.usage_metadata?.total_tokens, msg.usage_metadata?.total_tokens);
});

test("versions: a zod tool is called with typed args, and its result goes back", async () => {
  const llm = model(emu).bindTools([GetWeather]);
  const ai = await llm.invoke("What is the weather in Paris?");
  assert.equal(ai.tool_calls?.length, 1);
  assert.equal(ai.tool_calls?.[0]?.name, "GetWeather");
  assert.deepEqual(ai.tool_calls?.[0]?.args, { location: "Paris" });
  const result = await GetWeather.invoke(ai.tool_calls![0]!);
  const answer = await llm.invoke([new HumanMessage("What is the weather in Paris?"), ai, result as ToolMessage]);
  assert.match(answer.text, /GetWeather returned "It is sunny in Paris\."/);
});

test("versions: withStructuredOutput with a zod schema returns the validated object", async () => {
  const Joke = z.object({ setup: z.string(), punchline: z.string(), rating: z.number().int().min(1).max(10) });
  const structured = model(emu).withStructuredOutput(Joke);
  const joke = await structured.invoke("Tell me a joke about cats, rating: 7");
  assert.equal(typeof joke.setup, "string");
  assert.equal(typeof joke.punchline, "string");
  assert.equal(joke.rating, 7);
});

test("versions: a cache point is message content and reaches the wire; AI messages go back as Bedrock blocks", async () => {
  const llm = model(emu);
  await llm.invoke([
    new SystemMessage({ content: [{ type: "text", text: "Rules. ".repeat(300) }, createCachePoint()] }),
    new HumanMessage("Hi"),
  ]);
  const again = await llm.invoke([
    new SystemMessage({ content: [{ type: "text", text: "Rules. ".repeat(300) }, createCachePoint()] }),
    new HumanMessage("Hi"),
    new AIMessage("Hello!"),
    new HumanMessage("Again"),
  ]);
  assert.ok((again.usage_metadata?.input_token_details?.cache_read ?? 0) > 0);
  assert.deepEqual(again.content, [{ type: "text", text: "You said: Again" }]);
});
