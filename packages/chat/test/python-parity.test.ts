// Twins of Python's conversion and response tests (langchain-aws
// libs/aws/tests/unit_tests/chat_models/test_bedrock_converse.py): the same input, the expected output in
// JS shapes (an AI message's content is always a list). Each test is named after its Python twin. Where we
// differ on purpose the test says so and why ("DIFFERS"): mostly traps of the real service that Python's
// output would hit (see traps.test.ts). Pure functions, so no HTTP here.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import type { ConverseCommandOutput, ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { BedrockInputError } from "langchain-bedrock-converse";
import { CONVERSE_CONTENT_BLOCK_KEYS, convertMessagesToConverse, type ConvertMessagesOptions } from "../src/convert/messages.js";
import { converseBlockToLangChain } from "../src/convert/output-blocks.js";
import { converseResponseToMessage } from "../src/convert/response.js";
import { ConverseStreamConverter } from "../src/convert/stream.js";
import { toUsageMetadata } from "../src/convert/usage.js";

const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const b64 = (s: string) => Buffer.from(s).toString("base64");

function toBedrock(messages: BaseMessage[], options: Partial<ConvertMessagesOptions> = {}) {
  const warnings: string[] = [];
  const out = convertMessagesToConverse(messages, { hasToolConfig: true, warn: (w) => warnings.push(w), ...options });
  return { ...out, warnings };
}
/** Python's `_lc_content_to_bedrock` on a user turn. */
const lcContent = (content: unknown[]) => toBedrock([new HumanMessage({ content: content as never })]).messages[0].content;
/** The same on an assistant turn (where foreign blocks are dropped instead of raising). */
const aiContent = (content: unknown[]) =>
  toBedrock([new HumanMessage("q"), new AIMessage({ content: content as never })]).messages[1].content;
const bedrockToLc = (blocks: unknown[]) => blocks.map((b) => converseBlockToLangChain(b as never));

describe("_messages_to_bedrock", () => {
  test("test__messages_to_bedrock", () => {
    const messages = [
      new SystemMessage("sys1"),
      new SystemMessage({ content: ["sys2"] as never }),
      new SystemMessage({
        content: [
          { text: "sys3" },
          { type: "text", text: "sys4" },
          { guardContent: { text: { text: "sys5" } } },
          { type: "guard_content", text: "sys6" },
        ] as never,
      }),
      new HumanMessage("hu1"),
      new HumanMessage({ content: ["hu2"] as never }),
      new AIMessage("ai1"),
      new AIMessage({ content: "", tool_calls: [{ name: "tool1", args: { arg1: "arg1" }, id: "tool_call1", type: "tool_call" }] }),
      new AIMessage({
        content: [
          { toolUse: { toolUseId: "tool_call2", input: { arg2: 2 }, name: "tool2" } },
          { type: "tool_use", id: "tool_call3", input: { arg3: ["a", "b"] }, name: "tool3" },
        ] as never,
      }),
      new HumanMessage({
        content: [
          { text: "hu3" },
          { toolResult: { toolUseId: "tool_call1", content: [{ text: "tool_res1" }], status: "success" } },
          {
            type: "tool_result",
            tool_use_id: "tool_call2",
            is_error: true,
            content: [{ type: "image", source: { type: "base64", media_type: "image/jpeg", data: "data" } }],
          },
        ] as never,
      }),
      new ToolMessage({ content: "tool_res3", tool_call_id: "tool_call3" }),
      new HumanMessage({ content: [{ guardContent: { text: { text: "hu5" } } }, { type: "guard_content", text: "hu6" }] as never }),
      new HumanMessage({
        content: [{ type: "document", document: { format: "pdf", name: "doc1", source: { bytes: bytes("doc1_data") } } }] as never,
      }),
      new HumanMessage({ content: [{ type: "image", image: { format: "jpeg", source: { bytes: bytes("image_data") } } }] as never }),
      new HumanMessage({ content: [{ type: "video", video: { format: "mp4", source: { bytes: bytes("video_data") } } }] as never }),
      new HumanMessage({ content: [{ type: "video", video: { format: "mp4", source: { s3Location: { uri: "s3_url" } } } }] as never }),
    ];
    const { messages: actual, system } = toBedrock(messages);
    assert.deepEqual(actual, [
      { role: "user", content: [{ text: "hu1" }, { text: "hu2" }] },
      // DIFFERS in order only: Python merges all three AI messages first, so tool_call1 (from tool_calls) is
      // upserted last; we join string runs only, so it stays with the message that carried it.
      {
        role: "assistant",
        content: [
          { text: "ai1" },
          { toolUse: { toolUseId: "tool_call1", name: "tool1", input: { arg1: "arg1" } } },
          { toolUse: { toolUseId: "tool_call2", input: { arg2: 2 }, name: "tool2" } },
          { toolUse: { toolUseId: "tool_call3", input: { arg3: ["a", "b"] }, name: "tool3" } },
        ],
      },
      {
        role: "user",
        content: [
          // DIFFERS (TOOL-5): tool results lead the turn (Claude refuses them after text); Python keeps "hu3" first.
          { toolResult: { toolUseId: "tool_call1", content: [{ text: "tool_res1" }], status: "success" } },
          {
            toolResult: {
              toolUseId: "tool_call2",
              content: [{ image: { format: "jpeg", source: { bytes: new Uint8Array(Buffer.from("data", "base64")) } } }],
              status: "error",
            },
          },
          { toolResult: { toolUseId: "tool_call3", content: [{ text: "tool_res3" }], status: "success" } },
          { text: "hu3" },
          { guardContent: { text: { text: "hu5" } } },
          { guardContent: { text: { text: "hu6" } } },
          { document: { format: "pdf", name: "doc1", source: { bytes: bytes("doc1_data") } } },
          { image: { format: "jpeg", source: { bytes: bytes("image_data") } } },
          { video: { format: "mp4", source: { bytes: bytes("video_data") } } },
          { video: { format: "mp4", source: { s3Location: { uri: "s3_url" } } } },
        ],
      },
    ]);
    assert.deepEqual(system, [
      { text: "sys1" },
      { text: "sys2" },
      { text: "sys3" },
      { text: "sys4" },
      { guardContent: { text: { text: "sys5" } } },
      { guardContent: { text: { text: "sys6" } } },
    ]);
  });

  test("merge_message_runs: consecutive string messages of one role are joined with a newline", () => {
    const { messages, system } = toBedrock([
      new SystemMessage("s1"),
      new SystemMessage("s2"),
      new HumanMessage("a"),
      new HumanMessage("b"),
      new HumanMessage(""),
      new AIMessage("c"),
      new AIMessage({ content: "d", tool_calls: [{ id: "t1", name: "f", args: {} }] }),
      new ToolMessage({ content: "r", tool_call_id: "t1" }),
      new HumanMessage("e"),
    ]);
    assert.deepEqual(system, [{ text: "s1\ns2" }]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ text: "a\nb" }] },
      { role: "assistant", content: [{ text: "c\nd" }, { toolUse: { toolUseId: "t1", name: "f", input: {} } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "t1", content: [{ text: "r" }], status: "success" } }, { text: "e" }] },
    ]);
  });

  test("test__messages_to_bedrock_ignores_foreign_function_call_block", () => {
    const { messages, system } = toBedrock([
      new HumanMessage("What is the weather in Paris?"),
      new AIMessage({
        content: [{ type: "function_call", id: "fc_1", call_id: "call_abc", name: "get_weather", arguments: '{"city": "Paris"}' }] as never,
        tool_calls: [{ name: "get_weather", args: { city: "Paris" }, id: "call_abc", type: "tool_call" }],
      }),
      new ToolMessage({ content: "Sunny", tool_call_id: "call_abc" }),
    ]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ text: "What is the weather in Paris?" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "call_abc", input: { city: "Paris" }, name: "get_weather" } }] },
      { role: "user", content: [{ toolResult: { content: [{ text: "Sunny" }], toolUseId: "call_abc", status: "success" } }] },
    ]);
    assert.deepEqual(system, []);
  });

  test("test__messages_to_bedrock_ignores_foreign_reasoning_block", () => {
    const { messages } = toBedrock([
      new HumanMessage("What is 2 + 2?"),
      new AIMessage({
        content: [
          { type: "reasoning", reasoning: "Add the numbers.", extras: { signature: "google-signature" } },
          { type: "non_standard", value: { type: "provider_metadata", data: "foreign" } },
          { type: "text", text: "4" },
        ] as never,
        response_metadata: { output_version: "v1", model_provider: "google_genai" },
      }),
    ]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ text: "What is 2 + 2?" }] },
      { role: "assistant", content: [{ text: "4" }] },
    ]);
  });

  test("test__messages_to_bedrock_preserves_ai_cache_point / splits_ai_combined_cache_point_block", () => {
    const expected = [{ text: "4" }, { cachePoint: { type: "default" } }];
    assert.deepEqual(
      aiContent([
        { type: "text", text: "4" },
        { type: "non_standard", value: { cachePoint: { type: "default" } } },
      ]),
      expected,
    );
    assert.deepEqual(aiContent([{ type: "non_standard", value: { text: "4", cachePoint: { type: "default" } } }]), expected);
  });

  test("test__messages_to_bedrock_preserves_ai_audio_block", () => {
    assert.deepEqual(aiContent([{ type: "non_standard", value: { audio: { format: "wav", source: { bytes: bytes("audio") } } } }]), [
      { audio: { format: "wav", source: { bytes: bytes("audio") } } },
    ]);
  });

  test("test__messages_to_bedrock_replaces_dropped_nested_tool_result_content", () => {
    assert.deepEqual(aiContent([{ type: "tool_result", tool_use_id: "call_abc", content: [{ type: "foreign_provider_block" }] }]), [
      // Python adds status "success" to a nested result; ours keeps what the block says (nothing): both valid.
      { toolResult: { toolUseId: "call_abc", content: [{ text: "." }] } },
    ]);
  });

  test("test__messages_to_bedrock_warns_once_per_dropped_block_type / warns_when_assistant_turn_is_erased", () => {
    const { warnings } = toBedrock([
      new HumanMessage("Hello"),
      new AIMessage({ content: [{ type: "foreign_provider_block" }] as never }),
      new HumanMessage("Again"),
      new AIMessage({ content: [{ type: "foreign_provider_block" }] as never }),
    ]);
    const dropped = warnings.filter((w) => w.startsWith("Dropping"));
    assert.equal(dropped.length, 1);
    assert.match(dropped[0], /foreign_provider_block/);
    const erased = warnings.filter((w) => /has no content Bedrock can take/.test(w));
    assert.equal(erased.length, 2);
    assert.match(erased[0], /index 1/);
    assert.match(erased[1], /index 3/);
  });

  test("test__messages_to_bedrock_warns_per_distinct_non_standard_block", () => {
    const { warnings } = toBedrock([
      new HumanMessage("Hello"),
      new AIMessage({
        content: [
          { type: "non_standard", value: { type: "openai_annotation" } },
          { type: "non_standard", value: { type: "google_grounding" } },
          { type: "non_standard", value: { type: "openai_annotation" } },
        ] as never,
      }),
    ]);
    const dropped = warnings.filter((w) => w.startsWith("Dropping"));
    assert.equal(dropped.length, 2);
    assert.match(dropped[0], /openai_annotation/);
    assert.match(dropped[1], /google_grounding/);
  });

  test("test__messages_to_bedrock_replaces_dropped_only_content", () => {
    const { messages } = toBedrock([
      new HumanMessage("Search for the weather."),
      new AIMessage({ content: [{ type: "web_search_call", id: "search_1", status: "completed" }] as never }),
    ]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ text: "Search for the weather." }] },
      { role: "assistant", content: [{ text: "." }] },
    ]);
  });

  test("test__messages_to_bedrock_rejects_unsupported_non_ai_content", () => {
    for (const message of [
      new HumanMessage({ content: [{ type: "foreign_provider_block" }] as never }),
      new SystemMessage({ content: [{ type: "foreign_provider_block" }] as never }),
      new ToolMessage({ content: [{ type: "foreign_provider_block" }] as never, tool_call_id: "call_abc" }),
    ]) {
      assert.throws(
        () => toBedrock([message]),
        (e: unknown) => e instanceof BedrockInputError && /Unsupported content block/.test((e as Error).message),
      );
    }
  });

  test("test__messages_to_bedrock_passes_through_non_ai_non_standard (human and tool)", () => {
    // DIFFERS for SystemMessage: a system prompt takes only text, cachePoint and guardContent, so we raise a
    // typed error instead of sending a block Bedrock refuses.
    // DIFFERS for every role: a payload that is not a Converse block would be refused by Bedrock, so it is a
    // typed error before the request; native payloads pass through (test__lc_content_to_bedrock_non_standard_unwrap).
    assert.throws(
      () => toBedrock([new HumanMessage({ content: [{ type: "non_standard", value: { type: "provider_metadata" } }] as never })]),
      BedrockInputError,
    );
    assert.throws(
      () => toBedrock([new SystemMessage({ content: [{ type: "non_standard", value: { type: "provider_metadata" } }] as never })]),
      BedrockInputError,
    );
  });

  test("test__messages_to_bedrock_drops_partially_native_ai_block", () => {
    for (const value of [
      { text: "4", openaiAnnotations: [{ kind: "url" }] },
      { cachePoint: { type: "default" }, geminiThought: "hidden" },
    ]) {
      const { messages } = toBedrock([new AIMessage({ content: [{ type: "non_standard", value }] as never })]);
      // DIFFERS (MSG-2): a conversation starting on an AI turn gets a "." user turn first.
      assert.deepEqual(messages, [
        { role: "user", content: [{ text: "." }] },
        { role: "assistant", content: [{ text: "." }] },
      ]);
    }
  });

  test("test__messages_to_bedrock_drops_degenerate_ai_non_standard_value", () => {
    for (const value of [{}, "a string", ["a", "list"], null, 7]) {
      const { messages } = toBedrock([new HumanMessage("q"), new AIMessage({ content: [{ type: "non_standard", value }] as never })]);
      assert.deepEqual(messages[1], { role: "assistant", content: [{ text: "." }] }, JSON.stringify(value));
    }
  });

  test("test__messages_to_bedrock_rejects_malformed_ai_block", () => {
    for (const block of [{ type: "non_standard" }, { type: { not: "a string" } }, { type: ["also", "not"] }]) {
      assert.throws(() => toBedrock([new AIMessage({ content: [block] as never })]), BedrockInputError);
    }
  });

  test("test__bedrock_content_block_keys_match_botocore / preserves_every_native_block_key", () => {
    // The SDK's ContentBlock union (its TypeScript members), as botocore's service model in Python's twin.
    const members = [
      "audio",
      "cachePoint",
      "citationsContent",
      "document",
      "guardContent",
      "image",
      "json",
      "reasoningContent",
      "searchResult",
      "text",
      "toolResult",
      "toolUse",
      "video",
    ];
    for (const key of members) assert.ok(CONVERSE_CONTENT_BLOCK_KEYS.has(key), key);
    for (const key of CONVERSE_CONTENT_BLOCK_KEYS) {
      // toolUse/toolResult are paired (TOOL-4) and a lone cachePoint has nothing to attach to (CACHE-1): traps.test.ts
      if (key === "toolUse" || key === "toolResult" || key === "cachePoint") continue;
      const payload = key === "document" ? { marker: key, name: "doc" } : { marker: key }; // a document needs a valid name (DOC-1)
      assert.deepEqual(aiContent([{ type: "non_standard", value: { [key]: payload } }]), [{ [key]: payload }], key);
    }
  });

  test("test__messages_to_bedrock_drops_foreign_block_in_tool_results", () => {
    for (const type of ["tool_result", "server_tool_result"]) {
      assert.deepEqual(
        aiContent([{ type, tool_use_id: "call_abc", content: [{ type: "text", text: "Sunny" }, { type: "foreign_provider_block" }] }]),
        [{ toolResult: { toolUseId: "call_abc", content: [{ text: "Sunny" }] } }],
      );
    }
  });

  test("test__messages_to_bedrock_keeps_tool_calls_when_content_dropped", () => {
    const { messages } = toBedrock([
      new HumanMessage("q"),
      new AIMessage({
        content: [{ type: "foreign_provider_block" }] as never,
        tool_calls: [{ name: "get_weather", args: { city: "Paris" }, id: "call_abc", type: "tool_call" }],
      }),
    ]);
    assert.deepEqual(messages[1], {
      role: "assistant",
      content: [{ toolUse: { toolUseId: "call_abc", input: { city: "Paris" }, name: "get_weather" } }],
    });
  });

  test("test__messages_to_bedrock_keeps_cache_point_only_tool_result_valid", () => {
    const { messages } = toBedrock([
      new HumanMessage("q"),
      new AIMessage({ content: "", tool_calls: [{ id: "call_abc", name: "f", args: {} }] }),
      new ToolMessage({ content: [{ cachePoint: { type: "default" } }] as never, tool_call_id: "call_abc", status: "success" }),
    ]);
    assert.deepEqual(messages[2].content, [
      { toolResult: { content: [{ text: "." }], toolUseId: "call_abc", status: "success" } },
      { cachePoint: { type: "default" } },
    ]);
  });

  test("test__messages_to_bedrock_leaves_empty_system_content_empty", () => {
    // DIFFERS: reasoning in a SystemMessage is a typed error (system prompts take text, cachePoint and
    // guardContent); Python drops it silently. The "." placeholder never reaches the system prompt either way.
    assert.throws(
      () => toBedrock([new SystemMessage({ content: [{ type: "thinking", thinking: "unsigned" }] as never }), new HumanMessage("Hi")]),
      BedrockInputError,
    );
    assert.deepEqual(toBedrock([new SystemMessage({ content: [] }), new HumanMessage("Hi")]).system, []);
  });

  test("test_messages_to_bedrock_with_cache_point", () => {
    const { messages, system } = toBedrock([
      new HumanMessage({ content: ["Hello!", { cachePoint: { type: "default" } }] as never }),
      new ToolMessage({
        content: [{ type: "text", text: "Tool response" }, { cachePoint: { type: "default" } }] as never,
        tool_call_id: "tool-123",
        status: "success",
      }),
    ]);
    // DIFFERS (TOOL-4, TOOL-5): this result answers no call of a previous turn, so Bedrock would refuse it
    // ("exceeds the number of toolUse blocks"); it is sent as text instead.
    assert.deepEqual(messages, [
      {
        role: "user",
        content: [
          { text: "Hello!" },
          { cachePoint: { type: "default" } },
          { text: "[Tool output: Tool response]" },
          { cachePoint: { type: "default" } },
        ],
      },
    ]);
    assert.deepEqual(system, []);
  });

  test("test__messages_to_bedrock_empty_list / system_only", () => {
    assert.deepEqual(toBedrock([]), { messages: [{ role: "user", content: [{ text: "." }] }], system: [], warnings: [] });
    const only = toBedrock([new SystemMessage("You are a helpful assistant.")]);
    assert.deepEqual(only.messages, [{ role: "user", content: [{ text: "." }] }]);
    assert.deepEqual(only.system, [{ text: "You are a helpful assistant." }]);
  });

  test("test__messages_to_bedrock_strips_trailing_whitespace_string / _blocks", () => {
    const str = toBedrock([
      new SystemMessage("System message"),
      new HumanMessage("Human message"),
      new AIMessage("AI message with trailing whitespace    \n  \t  "),
    ]);
    assert.deepEqual(str.messages[1].content, [{ text: "AI message with trailing whitespace" }]);
    const blocks = toBedrock([
      new SystemMessage("System message"),
      new HumanMessage("Human message"),
      new AIMessage({
        content: [
          { type: "text", text: "AI message with trailing whitespace    \n  \t  " },
          { type: "text", text: "Another text block with whitespace  \n " },
        ],
      }),
    ]);
    assert.deepEqual(blocks.messages[1].content, [
      { text: "AI message with trailing whitespace" },
      { text: "Another text block with whitespace" },
    ]);
  });

  test("test__messages_to_bedrock_preserves_whitespace_non_last_aimessage_string / _blocks", () => {
    const text = "AI message with trailing whitespace    \n  \t  ";
    for (const content of [text, [{ type: "text", text }]]) {
      const { messages } = toBedrock([
        new SystemMessage("System message"),
        new HumanMessage("First human message"),
        new AIMessage({ content: content as never }),
        new HumanMessage("Second human message"),
      ]);
      assert.deepEqual(messages[1].content, [{ text }]);
    }
  });

  test("test__messages_to_bedrock_appends_system_prompt_from_parameter", () => {
    const cases: Array<[ConvertMessagesOptions["system"], unknown[]]> = [
      [undefined, [{ text: "System message" }]],
      [["System message from param"], [{ text: "System message from param" }, { text: "System message" }]],
      [
        [{ text: "Structured system message", guardContent: { text: { text: "guarded" } } }],
        [{ text: "Structured system message", guardContent: { text: { text: "guarded" } } }, { text: "System message" }],
      ],
      [
        ["Simple system prompt", { text: "Advanced system prompt", cachePoint: { type: "default" } }],
        [{ text: "Simple system prompt" }, { text: "Advanced system prompt", cachePoint: { type: "default" } }, { text: "System message" }],
      ],
    ];
    for (const [param, expected] of cases) {
      const { system } = toBedrock([new SystemMessage("System message"), new HumanMessage("Human message")], { system: param });
      assert.deepEqual(system, expected);
    }
  });

  test("test__messages_to_bedrock_normalizes_foreign_provider_content / native_thinking_not_normalized", () => {
    const thinking = { type: "thinking", thinking: "hmm", signature: "Z29vZ2xl" };
    const foreign = toBedrock([
      new HumanMessage("hi"),
      new AIMessage({
        content: [thinking, { type: "text", text: "answer" }] as never,
        response_metadata: { model_provider: "google_genai" },
      }),
      new HumanMessage("go on"),
    ]);
    assert.deepEqual(foreign.messages[1].content, [{ text: "answer" }]);
    for (const meta of [{ model_provider: "bedrock_converse" }, { model_provider: "bedrock-converse" }, {}]) {
      const native = toBedrock([
        new HumanMessage("hi"),
        new AIMessage({
          content: [
            { ...thinking, signature: "YW50aA==" },
            { type: "text", text: "answer" },
          ] as never,
          response_metadata: meta,
        }),
        new HumanMessage("go on"),
      ]);
      assert.deepEqual(
        native.messages[1].content,
        [{ reasoningContent: { reasoningText: { text: "hmm", signature: "YW50aA==" } } }, { text: "answer" }],
        JSON.stringify(meta),
      );
    }
  });

  test("test__messages_to_bedrock_foreign_tool_call_round_trip", () => {
    const { messages } = toBedrock([
      new HumanMessage("weather?"),
      new AIMessage({ content: [{ type: "tool_call", name: "get_weather", args: { city: "Paris" }, id: "call_1" }] as never }),
      new ToolMessage({ content: "sunny", tool_call_id: "call_1" }),
    ]);
    assert.equal((messages[1].content![0] as any).toolUse.toolUseId, "call_1");
    assert.equal((messages[2].content![0] as any).toolResult.toolUseId, "call_1");
  });

  test("test__messages_to_bedrock_search_result_in_tool_message", () => {
    const { messages } = toBedrock([
      new HumanMessage("What is the vacation policy?"),
      new AIMessage({ content: "", tool_calls: [{ name: "retrieval", args: {}, id: "c1" }] }),
      new ToolMessage({
        content: [
          {
            type: "search_result",
            source: "https://wiki.example.com/policy",
            title: "Vacation Policy",
            content: [{ type: "text", text: "Annual leave is 15 days." }],
            citations: { enabled: true },
          },
        ] as never,
        tool_call_id: "c1",
      }),
    ]);
    const result = (messages.at(-1)!.content![0] as any).toolResult;
    assert.equal(result.toolUseId, "c1");
    assert.deepEqual(result.content, [
      {
        searchResult: {
          source: "https://wiki.example.com/policy",
          title: "Vacation Policy",
          content: [{ text: "Annual leave is 15 days." }],
          citations: { enabled: true },
        },
      },
    ]);
  });
});

describe("_lc_content_to_bedrock", () => {
  test("test__lc_content_to_bedrock_anthropic_reasoning", () => {
    const { messages, system } = toBedrock([
      new SystemMessage("You are a helpful assistant."),
      new HumanMessage("Solve this problem step by step: what is 27 * 14?"),
      new AIMessage({
        content: [
          { type: "thinking", thinking: "To solve 27 * 14, I'll break it down into steps...", signature: "sig-123" },
          { type: "text", text: "The answer is 378." },
        ] as never,
      }),
      new HumanMessage("Can you re-check your last answer?"),
      new AIMessage({
        content: [
          { type: "reasoning_content", reasoning_content: { text: "27 * 14 = 378", signature: "math-sig-456" } },
          { type: "text", text: "I've double-checked and confirm that 27 * 14 = 378." },
        ] as never,
      }),
    ]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ text: "Solve this problem step by step: what is 27 * 14?" }] },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "To solve 27 * 14, I'll break it down into steps...", signature: "sig-123" } } },
          { text: "The answer is 378." },
        ],
      },
      { role: "user", content: [{ text: "Can you re-check your last answer?" }] },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "27 * 14 = 378", signature: "math-sig-456" } } },
          { text: "I've double-checked and confirm that 27 * 14 = 378." },
        ],
      },
    ]);
    assert.deepEqual(system, [{ text: "You are a helpful assistant." }]);
  });

  test("test__lc_content_to_bedrock_empty_signature: unsigned thinking and reasoning are omitted", () => {
    assert.deepEqual(
      aiContent([
        { type: "thinking", thinking: "no signature", signature: "" },
        { type: "reasoning_content", reasoning_content: { text: "no signature either" } },
        { type: "text", text: "answer" },
      ]),
      [{ text: "answer" }],
    );
  });

  test("test__lc_content_to_bedrock_search_result / _rejects_non_text", () => {
    assert.deepEqual(
      lcContent([
        {
          type: "search_result",
          source: "https://wiki.example.com/policy",
          title: "Vacation Policy",
          content: [
            { type: "text", text: "Annual leave is 15 days." },
            { type: "text", text: "Carryover is capped at 5 days." },
          ],
          citations: { enabled: true },
        },
      ]),
      [
        {
          searchResult: {
            source: "https://wiki.example.com/policy",
            title: "Vacation Policy",
            content: [{ text: "Annual leave is 15 days." }, { text: "Carryover is capped at 5 days." }],
            citations: { enabled: true },
          },
        },
      ],
    );
    assert.throws(
      () =>
        lcContent([
          {
            type: "search_result",
            source: "kb://doc-1",
            title: "Doc",
            content: [
              { type: "text", text: "ok" },
              { type: "image", source: { mediaType: "image/png", data: "" } },
            ],
          },
        ]),
      /must be text blocks/,
    );
  });

  test("test__lc_content_to_bedrock_reasoning_content_snake_case / camel_case", () => {
    const expected = [{ reasoningContent: { reasoningText: { text: "thought", signature: "sig" } } }, { text: "answer" }];
    assert.deepEqual(
      aiContent([
        { type: "reasoning_content", reasoning_content: { reasoning_text: { text: "thought", signature: "sig" } } },
        { type: "text", text: "answer" },
      ]),
      expected,
    );
    assert.deepEqual(
      aiContent([
        { type: "reasoning_content", reasoningContent: { reasoningText: { text: "thought", signature: "sig" } } },
        { type: "text", text: "answer" },
      ]),
      expected,
    );
  });

  test("test__lc_content_to_bedrock_mime_types", () => {
    assert.deepEqual(
      lcContent([
        { type: "video", source: { type: "base64", mediaType: "video/mp4", data: b64("video_test_data") } },
        { type: "image", source: { type: "base64", mediaType: "image/jpeg", data: b64("image_test_data") } },
        { type: "file", sourceType: "base64", mimeType: "application/pdf", data: b64("file_test_data"), name: "test_document.pdf" },
      ]),
      [
        { video: { format: "mp4", source: { bytes: bytes("video_test_data") } } },
        { image: { format: "jpeg", source: { bytes: bytes("image_test_data") } } },
        // DIFFERS (DOC-1): Python sends "test_document.pdf", which Bedrock refuses ("." is not allowed).
        { document: { format: "pdf", name: "test_document", source: { bytes: bytes("file_test_data") } } },
        { text: "." }, // DIFFERS (DOC-3): "A text block must be included when using documents."
      ],
    );
  });

  test("test__lc_content_to_bedrock_mime_types_invalid", () => {
    assert.throws(
      () => lcContent([{ type: "image", source: { type: "base64", mediaType: "invalidmimetype", data: b64("test_data") } }]),
      /Invalid MIME type format/,
    );
    assert.throws(
      () => lcContent([{ type: "file", sourceType: "base64", mimeType: "application/unknown-format", data: b64("test_data"), name: "x" }]),
      /Unsupported MIME type/,
    );
  });

  test("test__lc_content_to_bedrock_empty_content and the whitespace variants", () => {
    for (const content of [[], "   \n  \t  ", "", [{ type: "text", text: "" }], [{ type: "text", text: "  \n  " }]]) {
      const blocks = toBedrock([new HumanMessage({ content: content as never })]).messages[0].content!;
      assert.deepEqual(blocks[0], { text: "." }, JSON.stringify(content));
    }
    assert.deepEqual(
      lcContent([
        { type: "text", text: "" },
        { type: "text", text: "   " },
        { type: "text", text: "" },
      ])![0],
      { text: "." },
    );
  });

  test("test__lc_content_to_bedrock_mixed_valid_and_empty_content / mixed_types_with_empty_content", () => {
    assert.deepEqual(
      lcContent([
        { type: "text", text: "Valid text" },
        { type: "text", text: "" },
        { type: "text", text: "   " },
      ]),
      [{ text: "Valid text" }, { text: "." }, { text: "." }],
    );
    assert.deepEqual(
      aiContent([
        { type: "text", text: "Valid text" },
        { type: "tool_use", id: "tool_call1", input: { arg1: "val1" }, name: "tool1" },
        { type: "text", text: "   " },
      ]),
      [{ text: "Valid text" }, { toolUse: { toolUseId: "tool_call1", input: { arg1: "val1" }, name: "tool1" } }, { text: "." }],
    );
  });

  test("test__lc_content_to_bedrock_non_standard_unwrap / _guard_content", () => {
    assert.deepEqual(
      lcContent([
        { type: "text", text: "System prompt" },
        { type: "non_standard", value: { cachePoint: { type: "default" } } },
      ]),
      [{ text: "System prompt" }, { cachePoint: { type: "default" } }],
    );
    assert.deepEqual(lcContent([{ type: "non_standard", value: { guardContent: { text: { text: "guard" } } } }]), [
      { guardContent: { text: { text: "guard" } } },
    ]);
  });

  test("test__lc_content_to_bedrock_tool_use_dict_input_unchanged / string_input_parsed / empty_string_input", () => {
    assert.deepEqual(aiContent([{ type: "tool_use", id: "tool_1", name: "get_weather", input: { city: "Paris" } }]), [
      { toolUse: { toolUseId: "tool_1", name: "get_weather", input: { city: "Paris" } } },
    ]);
    assert.deepEqual(aiContent([{ type: "tool_use", id: "tool_1", name: "get_weather", input: '{"city": "Paris"}' }]), [
      { toolUse: { toolUseId: "tool_1", name: "get_weather", input: { city: "Paris" } } },
    ]);
    assert.deepEqual(aiContent([{ type: "tool_use", id: "tool_1", name: "no_args_tool", input: "" }]), [
      { toolUse: { toolUseId: "tool_1", name: "no_args_tool", input: {} } },
    ]);
  });

  test("test__lc_content_to_bedrock_server_tool_use_string_input_parsed", () => {
    // DIFFERS: the block's kind is kept as toolUse.type "server_tool_use" (the one value of the service's
    // ToolUseType enum), so Bedrock knows the call ran server-side; Python drops it.
    assert.deepEqual(aiContent([{ type: "server_tool_use", id: "tool_1", name: "grounding", input: '{"query": "latest news"}' }]), [
      { toolUse: { toolUseId: "tool_1", name: "grounding", input: { query: "latest news" }, type: "server_tool_use" } },
    ]);
  });

  test("test__lc_content_to_bedrock_standard_tool_call_block", () => {
    assert.deepEqual(aiContent([{ type: "tool_call", name: "get_weather", args: { city: "Paris" }, id: "call_1" }]), [
      { toolUse: { toolUseId: "call_1", input: { city: "Paris" }, name: "get_weather" } },
    ]);
  });
});

describe("_format_data_content_block", () => {
  test("test__format_data_content_block_video_base64 / _source_type", () => {
    const expected = [{ video: { format: "mp4", source: { bytes: bytes("video_test_data") } } }];
    assert.deepEqual(lcContent([{ type: "video", base64: b64("video_test_data"), mimeType: "video/mp4" }]), expected);
    assert.deepEqual(lcContent([{ type: "video", sourceType: "base64", mimeType: "video/mp4", data: b64("video_test_data") }]), expected);
  });

  test("test__format_data_content_block_video_missing_mime_type / no_base64", () => {
    assert.throws(
      () => lcContent([{ type: "video", base64: b64("video_test_data") }]),
      (e: unknown) => e instanceof BedrockInputError && e.code === "MISSING_MIME_TYPE",
    );
    assert.throws(
      () => lcContent([{ type: "video", mimeType: "video/mp4" }]),
      (e: unknown) => e instanceof BedrockInputError && /has no data/.test((e as Error).message),
    );
  });

  test("test__format_data_content_block_unsupported_type: audio", () => {
    // DIFFERS: Converse has an audio block and models that read it; Python refuses audio.
    assert.deepEqual(lcContent([{ type: "audio", base64: b64("audio_data"), mimeType: "audio/mp3" }]), [
      { audio: { format: "mp3", source: { bytes: bytes("audio_data") } } },
    ]);
  });
});

describe("_convert_tool_blocks_to_text", () => {
  test("test__convert_tool_blocks_to_text: Python's JSON spacing", () => {
    const { messages } = toBedrock(
      [
        new HumanMessage("q"),
        new AIMessage({
          content: [
            { type: "text", text: "Calculating..." },
            { type: "tool_use", id: "1", name: "calc", input: { a: 5, b: [1, 2] } },
          ] as never,
        }),
        new ToolMessage({ content: "10", tool_call_id: "1" }),
      ],
      { hasToolConfig: false },
    );
    assert.deepEqual(messages[1].content, [{ text: "Calculating..." }, { text: '[Called calc with parameters: {"a": 5, "b": [1, 2]}]' }]);
    assert.deepEqual(messages[2].content, [{ text: "[Tool output: 10]" }]);
  });

  test("TestNonAsciiPreservation: tool use and tool result json", () => {
    const CJK = "日本語テスト";
    const { messages } = toBedrock(
      [
        new HumanMessage("q"),
        new AIMessage({ content: "", tool_calls: [{ id: "t1", name: "search", args: { query: CJK } }] }),
        new ToolMessage({ content: [{ type: "json", json: { answer: CJK } }] as never, tool_call_id: "t1" }),
      ],
      { hasToolConfig: false },
    );
    for (const m of messages.slice(1)) {
      const text = (m.content![0] as { text: string }).text;
      assert.ok(text.includes(CJK) && !text.includes("\\u"), text);
    }
  });
});

describe("_bedrock_to_lc and responses", () => {
  test("test__bedrock_to_lc", () => {
    assert.deepEqual(
      bedrockToLc([
        { text: "text1" },
        { toolUse: { toolUseId: "tool_call1", input: { arg1: "val1" }, name: "tool1" } },
        { image: { format: "jpeg", source: { bytes: bytes("data") } } },
        {
          toolResult: {
            toolUseId: "tool_call1",
            content: [
              { text: "tool_text1" },
              { image: { format: "png", source: { bytes: bytes("tool_img") } } },
              { json: { output: [1, 2, 3] } },
            ],
          },
        },
        { video: { format: "mp4", source: { bytes: bytes("video_data") } } },
        { video: { format: "mp4", source: { s3Location: { uri: "video_data" } } } },
      ]),
      [
        { type: "text", text: "text1" },
        { type: "tool_use", id: "tool_call1", input: { arg1: "val1" }, name: "tool1" },
        { type: "image", source: { type: "base64", media_type: "image/jpeg", data: b64("data") } },
        {
          type: "tool_result",
          tool_use_id: "tool_call1",
          is_error: false,
          content: [
            { type: "text", text: "tool_text1" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: b64("tool_img") } },
            { type: "json", json: { output: [1, 2, 3] } },
          ],
        },
        { type: "video", source: { type: "base64", media_type: "video/mp4", data: b64("video_data") } },
        { type: "video", source: { type: "s3Location", media_type: "video/mp4", data: { uri: "video_data" } } },
      ],
    );
  });

  test("test__bedrock_to_lc_anthropic_reasoning (invoke shapes)", () => {
    assert.deepEqual(
      bedrockToLc([
        { reasoningContent: { reasoningText: { text: "Thought text", signature: "sig" } } },
        { reasoningContent: { reasoningText: { text: "", signature: "sig" } } },
        { reasoningContent: { reasoningText: { text: "Another reasoning block", signature: "" } } },
      ]),
      [
        // Ours adds `type: "text"` inside (the redacted variant is `type: "redacted"`).
        { type: "reasoning_content", reasoning_content: { type: "text", text: "Thought text", signature: "sig" } },
        { type: "reasoning_content", reasoning_content: { type: "text", text: "", signature: "sig" } },
        { type: "reasoning_content", reasoning_content: { type: "text", text: "Another reasoning block", signature: "" } },
      ],
    );
  });

  test("test__bedrock_to_lc_nova_code_interpreter: no status key is added", () => {
    assert.deepEqual(
      bedrockToLc([
        { toolUse: { toolUseId: "code_123", name: "nova_code_interpreter", input: { code: "import math\nmath.sqrt(475878756857)" } } },
        { toolResult: { toolUseId: "code_123", content: [{ text: "689690.0" }], status: "success" } },
      ]),
      [
        { type: "tool_use", id: "code_123", name: "nova_code_interpreter", input: { code: "import math\nmath.sqrt(475878756857)" } },
        { type: "tool_result", tool_use_id: "code_123", content: [{ type: "text", text: "689690.0" }], is_error: false },
      ],
    );
  });

  test("test__bedrock_to_lc_redacted_tool_result: the empty content list is kept", () => {
    assert.deepEqual(
      bedrockToLc([
        { toolUse: { toolUseId: "tool_456", name: "nova_grounding", input: { query: "test query" } } },
        { toolResult: { toolUseId: "tool_456", content: [], status: "success" } },
      ]),
      [
        { type: "tool_use", id: "tool_456", name: "nova_grounding", input: { query: "test query" } },
        { type: "tool_result", tool_use_id: "tool_456", content: [], is_error: false },
      ],
    );
  });

  test("test__extract_response_metadata: latencyMs stays a number", () => {
    // DIFFERS: Python wraps latencyMs in a list (a quirk); our rule is a number.
    const output = {
      $metadata: { httpStatusCode: 200, requestId: "xxxxx", attempts: 1 },
      output: { message: { role: "assistant", content: [{ text: "hi" }] } },
      stopReason: "end_turn",
      metrics: { latencyMs: 191 },
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    } as unknown as ConverseCommandOutput;
    const msg = converseResponseToMessage(output, { modelName: "us.anthropic.claude-3-5-haiku-20241022-v1:0" });
    assert.deepEqual(msg.response_metadata.metrics, { latencyMs: 191 });
    assert.equal(msg.response_metadata.stopReason, "end_turn");
    assert.equal(msg.response_metadata.model_name, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
  });
});

describe("_extract_usage_metadata", () => {
  test("test__extract_usage_metadata_with_prompt_caching", () => {
    assert.deepEqual(
      toUsageMetadata({ inputTokens: 2, outputTokens: 316, totalTokens: 3148, cacheReadInputTokens: 2830, cacheWriteInputTokens: 0 }),
      {
        input_tokens: 2832,
        output_tokens: 316,
        total_tokens: 3148,
        input_token_details: { cache_read: 2830, cache_creation: 0 },
      },
    );
  });

  test("test__extract_usage_metadata_with_per_ttl_cache_details", () => {
    assert.deepEqual(
      toUsageMetadata({
        inputTokens: 100,
        outputTokens: 50,
        totalTokens: 850,
        cacheReadInputTokens: 200,
        cacheWriteInputTokens: 500,
        cacheDetails: [
          { inputTokens: 300, ttl: "5m" },
          { inputTokens: 200, ttl: "1h" },
        ],
      }),
      {
        input_tokens: 800,
        output_tokens: 50,
        total_tokens: 850,
        input_token_details: { cache_read: 200, cache_creation: 0, ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 200 },
      },
    );
  });

  test("test__extract_usage_metadata_without_cache_details", () => {
    const usage = toUsageMetadata({
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 150,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    })!;
    assert.equal(usage.input_tokens, 100);
    assert.deepEqual(usage.input_token_details, { cache_read: 0, cache_creation: 0 });
  });

  test("test__extract_usage_metadata_with_single_ttl_cache_details", () => {
    const usage = toUsageMetadata({
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 450,
      cacheReadInputTokens: 50,
      cacheWriteInputTokens: 300,
      cacheDetails: [{ inputTokens: 300, ttl: "5m" }],
    })!;
    assert.equal(usage.input_tokens, 450);
    assert.deepEqual(usage.input_token_details, { cache_read: 50, cache_creation: 0, ephemeral_5m_input_tokens: 300 });
  });

  test("test__extract_usage_metadata_with_malformed_cache_details", () => {
    const usage = toUsageMetadata({
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 650,
      cacheReadInputTokens: 200,
      cacheWriteInputTokens: 300,
      cacheDetails: [{ inputTokens: 100, ttl: "5m" }, { ttl: "5m" }, { inputTokens: 50, ttl: "1h" }] as never,
    })!;
    assert.equal(usage.input_tokens, 600);
    assert.deepEqual(usage.input_token_details, {
      cache_read: 200,
      cache_creation: 0,
      ephemeral_5m_input_tokens: 100,
      ephemeral_1h_input_tokens: 50,
    });
  });
});

describe("_parse_stream_event", () => {
  const convert = (events: unknown[]) => {
    const converter = new ConverseStreamConverter({ modelName: "m" });
    return events.flatMap((e) => converter.convert(e as ConverseStreamOutput));
  };

  test("test_content_block_start_tool_call_chunk_args_type / delta_tool_call_chunk_args_type", () => {
    const [start] = convert([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tool_1", name: "get_weather" } } } },
    ]);
    assert.equal(start!.tool_call_chunks!.length, 1);
    assert.equal(typeof start!.tool_call_chunks![0].args, "string");
    const [delta] = convert([{ contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"city": "Paris"}' } } } }]);
    assert.equal(delta!.tool_call_chunks![0].args, '{"city": "Paris"}');
  });

  test("test_streaming_tool_use_round_trip", () => {
    const chunks = convert([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tool_abc", name: "get_weather" } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: ' "Paris"}' } } } },
    ]);
    const full = chunks.reduce((a, b) => concat(a, b)) as AIMessageChunk;
    const toolBlock = (full.content as any[]).find((b) => b.type === "tool_use");
    assert.equal(typeof toolBlock.input, "string");
    assert.ok(full.tool_call_chunks!.length > 0);
    assert.deepEqual(aiContent(full.content as unknown[]), [
      { toolUse: { toolUseId: "tool_abc", name: "get_weather", input: { city: "Paris" } } },
    ]);
  });
});
