// Tool args hold plain JSON values on every Node version and path. On Node >= 21 the AWS SDK parses an
// integer beyond 2^53 into a BigInt (it sees the number's source text); a stream's tool input is a JSON
// string that LangChain parses with JSON.parse. invoke and stream must agree, serialize with
// JSON.stringify, pass z.number(), and warn (naming the path) about an integer JSON.parse may round.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Emulator, ScriptReply } from "bedrock-runtime-emulator";
import { collectWarnings, emulator, model } from "./helpers.js";

let emu: Emulator;
before(async () => {
  emu = await emulator();
});
after(async () => {
  await emu.close();
});
beforeEach(() => emu.reset());

// Written as strings: the digits are beyond a double's precision on purpose (sent on the wire as 12345678901234567000).
const BIG = Number("12345678901234567890");
const input = { order_id: BIG, quantity: 3, price: 19.99, tags: ["a"], nested: { ts_ns: Number("1733390000000000000") } };
const reply: ScriptReply = {
  output: { message: { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_bigints", name: "GetOrder", input } }] } },
  additionalModelResponseFields: { seq: Number("9007199254740993") },
};
const argsSchema = z.object({
  order_id: z.number(),
  quantity: z.number().int(),
  price: z.number(),
  tags: z.array(z.string()),
  nested: z.object({ ts_ns: z.number() }),
});
const expectedArgs = JSON.parse(JSON.stringify(input));
const label = 'tool call "GetOrder" (tooluse_bigints)';

test(`tool args: invoke gives JSON.parse numbers, never a BigInt (Node ${process.versions.node})`, async () => {
  emu.setScript([reply]);
  let message: Awaited<ReturnType<ReturnType<typeof model>["invoke"]>> | undefined;
  const warnings = await collectWarnings(async () => {
    message = await model(emu).invoke("Look up my order");
  });
  assert.ok(message);
  const args = message.tool_calls?.[0]?.args;
  assert.deepEqual(args, expectedArgs);
  assert.equal(typeof args?.order_id, "number");
  assert.equal(typeof (message.content as { input?: { order_id?: unknown } }[])[0].input?.order_id, "number");
  assert.equal(typeof (message.response_metadata.additionalModelResponseFields as { seq: unknown }).seq, "number");
  assert.doesNotThrow(() => JSON.stringify(message));
  assert.deepEqual(argsSchema.parse(args), expectedArgs);
  const mine = warnings.filter((w) => w.includes("MAX_SAFE_INTEGER"));
  assert.equal(mine.length, 3, mine.join("\n"));
  assert.ok(mine[0].includes(`at ${label} args.order_id: 12345678901234567000.`), mine[0]);
  assert.ok(mine[1].includes(`at ${label} args.nested.ts_ns: 1733390000000000000.`), mine[1]);
  assert.ok(mine[2].includes("at response_metadata.additionalModelResponseFields.seq: 9007199254740992."), mine[2]);
});

test(`tool args: stream gives the same args as invoke and the same tool-call warnings (Node ${process.versions.node})`, async () => {
  emu.setScript([reply]);
  let full: AIMessageChunk | undefined;
  const warnings = await collectWarnings(async () => {
    for await (const chunk of await model(emu).stream("Look up my order")) full = full ? full.concat(chunk) : chunk;
  });
  assert.ok(full);
  assert.deepEqual(full.tool_calls?.[0]?.args, expectedArgs);
  assert.deepEqual(argsSchema.parse(full.tool_calls?.[0]?.args), expectedArgs);
  assert.doesNotThrow(() => JSON.stringify(full));
  const mine = warnings.filter((w) => w.includes("MAX_SAFE_INTEGER"));
  assert.ok(
    mine.some((w) => w.includes(`at ${label} args.order_id: 12345678901234567000.`)),
    mine.join("\n"),
  );
  assert.ok(
    mine.some((w) => w.includes(`at ${label} args.nested.ts_ns: 1733390000000000000.`)),
    mine.join("\n"),
  );
});

test("tool args: safe integers and decimals give no warning", async () => {
  emu.setScript([
    {
      output: {
        message: {
          role: "assistant",
          content: [{ toolUse: { toolUseId: "tooluse_small", name: "GetOrder", input: { order_id: 42, price: 0.1 } } }],
        },
      },
    },
  ]);
  let args: Record<string, unknown> | undefined;
  const warnings = await collectWarnings(async () => {
    args = (await model(emu).invoke("Look up my order")).tool_calls?.[0]?.args;
  });
  assert.deepEqual(args, { order_id: 42, price: 0.1 });
  assert.deepEqual(
    warnings.filter((w) => w.includes("MAX_SAFE_INTEGER")),
    [],
  );
});
