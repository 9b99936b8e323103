// The default model on LangChain's standard-test prompts, through the real SDK over HTTP: one call for
// "San Francisco, CA", a quoted name in the name field, citations of a document from an earlier
// turn laid out as text / cited text / text (invoke and stream), a continued prefill, and Claude
// token counts near the real ones.
import { ConverseCommand, ConverseStreamCommand, CountTokensCommand, type Message } from "@aws-sdk/client-bedrock-runtime";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startEmulator, type Emulator } from "bedrock-runtime-emulator";
import { client, collect, kinds, TIMEOUT, userMessage } from "./helpers.js";

const CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0";
const NOVA = "us.amazon.nova-pro-v1:0";

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ port: 0, host: "127.0.0.1" });
});
after(() => emu.close());

const toolSpec = (name: string, description: string, properties: Record<string, { type: string }>, required: string[]) => ({
  toolSpec: { name, description, inputSchema: { json: { type: "object", properties, required } } },
});

describe("default model on standard-test prompts", () => {
  test('"San Francisco, CA" is one tool call with the whole place', TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const weather = toolSpec("get_weather", "Get the current weather in a given location", { location: { type: "string" } }, [
        "location",
      ]);
      const out = await c.send(
        new ConverseCommand({
          modelId: CLAUDE,
          messages: userMessage("What's the weather in San Francisco, CA?"),
          toolConfig: { tools: [weather] },
        }),
      );
      const uses = out.output!.message!.content!.filter((b) => b.toolUse).map((b) => [b.toolUse!.name, b.toolUse!.input]);
      assert.deepEqual(uses, [["get_weather", { location: "San Francisco, CA" }]]);
      assert.equal(out.stopReason, "tool_use");
    } finally {
      c.destroy();
    }
  });

  test("a quoted name after 'named' is the customer name", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const customer = toolSpec(
        "unicode_customer",
        "Tool for creating a customer with Unicode name.",
        { customer_name: { type: "string" }, description: { type: "string" } },
        ["customer_name", "description"],
      );
      const out = await c.send(
        new ConverseCommand({
          modelId: CLAUDE,
          messages: userMessage("Create a customer named '你好啊集团' (Hello Group) - a Chinese technology company"),
          toolConfig: { tools: [customer], toolChoice: { tool: { name: "unicode_customer" } } },
        }),
      );
      const uses = out.output!.message!.content!.filter((b) => b.toolUse);
      assert.equal(uses.length, 1);
      assert.equal((uses[0].toolUse!.input as { customer_name: string }).customer_name, "你好啊集团");
    } finally {
      c.destroy();
    }
  });

  const conversation: Message[] = [
    {
      role: "user",
      content: [
        {
          document: {
            format: "txt",
            name: "colors",
            source: { text: "The grass is green. The sky is blue." },
            citations: { enabled: true },
          },
        },
        { text: "What color is the grass?" },
      ],
    },
    { role: "assistant", content: [{ text: "The grass is green." }] },
    { role: "user", content: [{ text: "And what color is the sky?" }] },
  ];
  const citation = {
    title: "colors",
    sourceContent: [{ text: "The sky is blue." }],
    location: { documentChar: { documentIndex: 0, start: 20, end: 36 } },
  };

  test("a document from an earlier turn is cited: text, cited text, text", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseCommand({ modelId: CLAUDE, messages: conversation }));
      assert.deepEqual(out.output!.message!.content, [
        { text: 'According to "colors": ' },
        { citationsContent: { content: [{ text: "The sky is blue." }], citations: [citation] } },
        { text: " That is what the document says." },
      ]);
    } finally {
      c.destroy();
    }
  });

  test("the stream has the same layout: a text block, a cited block (text then citation delta), a text block", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: conversation }));
      const events = await collect(out.stream);
      const blockEvents = events.filter((e) => e.contentBlockDelta || e.contentBlockStop);
      const byIndex = new Map<number, unknown[]>();
      for (const e of blockEvents) {
        if (!e.contentBlockDelta) continue;
        const i = e.contentBlockDelta.contentBlockIndex!;
        byIndex.set(i, [...(byIndex.get(i) ?? []), e.contentBlockDelta.delta]);
      }
      const joined = (i: number) => (byIndex.get(i) as Array<{ text?: string }>).map((d) => d.text ?? "").join("");
      assert.deepEqual([...byIndex.keys()], [0, 1, 2]);
      assert.equal(joined(0), 'According to "colors": ');
      assert.equal(joined(1), "The sky is blue.");
      assert.deepEqual(byIndex.get(1)!.at(-1), { citation }, "the citation follows the cited text in its block");
      assert.equal(joined(2), " That is what the document says.");
      assert.deepEqual(kinds(events).filter((k) => k === "contentBlockStop").length, 3);
      assert.deepEqual(kinds(events).at(0), "messageStart");
      assert.deepEqual(kinds(events).slice(-2), ["messageStop", "metadata"]);
    } finally {
      c.destroy();
    }
  });

  test("an assistant prefill (promptPrefill) is continued to JSON matching the prompt's schema, cut at ```", TIMEOUT, async () => {
    const schema = {
      type: "object",
      properties: { setup: { type: "string" }, punchline: { type: "string" } },
      required: ["setup", "punchline"],
    };
    const c = client(emu.url);
    try {
      const out = await c.send(
        new ConverseCommand({
          modelId: NOVA,
          system: [{ text: `Answer with JSON matching this schema:\n${JSON.stringify(schema, null, 2)}` }],
          messages: [
            { role: "user", content: [{ text: "Tell me a joke about cats" }] },
            { role: "assistant", content: [{ text: "```json" }] },
          ],
          inferenceConfig: { stopSequences: ["```"] },
        }),
      );
      assert.equal(out.stopReason, "stop_sequence");
      const text = out.output!.message!.content![0].text!;
      assert.deepEqual(JSON.parse(text), {
        setup: "Why did the cats bring a ladder to work?",
        punchline: "Because the cats heard the job came with a step up.",
      });
      const brace = await c.send(
        new ConverseCommand({
          modelId: CLAUDE,
          system: [{ text: `Schema: ${JSON.stringify(schema)}` }],
          messages: [
            { role: "user", content: [{ text: "Tell me a joke about dogs" }] },
            { role: "assistant", content: [{ text: "{" }] },
          ],
        }),
      );
      assert.equal(JSON.parse(`{${brace.output!.message!.content![0].text!}`).setup, "Why did the dogs bring a ladder to work?");
    } finally {
      c.destroy();
    }
  });

  test("Claude token counts: within 20 % of real counts, CountTokens equal to Converse inputTokens", TIMEOUT, async () => {
    const c = client(emu.url);
    try {
      const count = async (system: string | undefined, messages: Message[]) => {
        const converse = { messages, ...(system ? { system: [{ text: system }] } : {}) };
        // CountTokens takes the base model id; Converse on Claude 4 needs an inference profile
        const counted = await c.send(new CountTokensCommand({ modelId: CLAUDE.replace(/^us\./, ""), input: { converse } }));
        const used = await c.send(new ConverseCommand({ modelId: CLAUDE, ...converse }));
        assert.equal(counted.inputTokens, used.usage!.inputTokens);
        return counted.inputTokens!;
      };
      // Anthropic's documented count: system "You are a scientist" + "Hello, Claude" = 14 tokens
      const documented = await count("You are a scientist", userMessage("Hello, Claude"));
      assert.ok(Math.abs(documented - 14) / 14 <= 0.2, `${documented} vs 14`);
      // English prose: about 4 characters per token, plus the 7 tokens of one turn's template
      const prose =
        "Amazon Bedrock is a fully managed service that offers a choice of high-performing foundation models from " +
        "leading companies through a single API, along with the capabilities you need to build generative AI " +
        "applications with security, privacy, and responsible AI.";
      const real = prose.length / 4 + 7;
      const got = await count(undefined, userMessage(prose));
      assert.ok(Math.abs(got - real) / real <= 0.2, `${got} vs ${real}`);
    } finally {
      c.destroy();
    }
  });
});
