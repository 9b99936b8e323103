// A small OpenAI-compatible server (POST /v1/chat/completions, JSON or SSE), written from the public
// Chat Completions reference, for tests and for trying --backend openai without Ollama:
//   node --import tsx packages/emulator/test/fake-openai-server.ts --port 11434
// Tests queue exact replies; with none queued it answers "You asked: <last user text>", and calls
// the named (or first) tool when tool_choice requires one. Streams go out in odd-sized writes so
// SSE events and tool-call arguments arrive split across chunks, as on a real network.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

export interface FakeReply {
  content?: string;
  reasoning?: string;
  toolCalls?: { id?: string; name: string; arguments: string }[];
  /** finish_reason (default "stop", or "tool_calls" with tool calls). */
  finish?: string;
  /** null: send no usage at all. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** An HTTP error instead of an answer. */
  status?: number;
  errorMessage?: string;
  /** Streams only: close the connection after this many SSE events. */
  cutAfterEvents?: number;
}

export interface FakeOpenAI {
  /** Base URL with /v1. */
  url: string;
  /** Bodies received, in order. */
  requests: Record<string, unknown>[];
  push(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

type Body = {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content?: unknown }[];
  tools?: { function: { name: string } }[];
  tool_choice?: unknown;
};

function defaultReply(body: Body): FakeReply {
  const last = body.messages?.at(-1);
  const text =
    typeof last?.content === "string"
      ? last.content
      : Array.isArray(last?.content)
        ? last.content.map((p: { text?: string }) => p.text ?? "").join(" ")
        : "";
  const choice = body.tool_choice;
  const tools = body.tools ?? [];
  if (tools.length && last?.role !== "tool" && (choice === "required" || (typeof choice === "object" && choice !== null))) {
    const named = typeof choice === "object" ? (choice as { function?: { name?: string } }).function?.name : undefined;
    return { toolCalls: [{ name: named ?? tools[0].function.name, arguments: "{}" }] };
  }
  return { content: last?.role === "tool" ? `The tool said: ${text}` : `You asked: ${text}` };
}

const pieces = (text: string, size: number) => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};

function streamEvents(reply: FakeReply, model: string): string[] {
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1700000000, model };
  const chunk = (delta: object, finish: string | null = null) =>
    JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const events = [chunk({ role: "assistant", content: "" })];
  for (const part of pieces(reply.reasoning ?? "", 4)) events.push(chunk({ reasoning_content: part }));
  for (const part of pieces(reply.content ?? "", 5)) events.push(chunk({ content: part }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: call.id ?? `call_${index}`, type: "function", function: { name: call.name, arguments: "" } }] }),
    );
    for (const part of pieces(call.arguments, 3)) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
  });
  events.push(chunk({}, reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop")));
  if (reply.usage !== null) {
    const usage = reply.usage ?? { prompt_tokens: 11, completion_tokens: 5 };
    events.push(JSON.stringify({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
  }
  events.push("[DONE]");
  return events;
}

function completion(reply: FakeReply, model: string): object {
  const message: Record<string, unknown> = { role: "assistant", content: reply.content ?? (reply.toolCalls?.length ? null : "") };
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((c, i) => ({
      id: c.id ?? `call_${i}`,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  const usage = reply.usage === null ? undefined : (reply.usage ?? { prompt_tokens: 11, completion_tokens: 5 });
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1700000000,
    model,
    choices: [{ index: 0, message, finish_reason: reply.finish ?? (reply.toolCalls?.length ? "tool_calls" : "stop") }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

export async function startFakeOpenAI(port = 0, host = "127.0.0.1"): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  const requests: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body;
      requests.push(body as Record<string, unknown>);
      const reply = queue.shift() ?? defaultReply(body);
      const model = body.model ?? "fake";
      if (reply.status) {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: reply.errorMessage ?? "error", type: "invalid_request_error" } }));
        return;
      }
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(completion(reply, model)));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const events = streamEvents(reply, model);
      const limit = reply.cutAfterEvents ?? events.length;
      const wire = events
        .slice(0, limit)
        .map((e) => `data: ${e}\n\n`)
        .join("");
      // Odd-sized writes, each on its own turn: events and arguments straddle chunk boundaries.
      for (const part of pieces(wire, 37)) {
        res.write(part);
        await new Promise((r) => setImmediate(r));
      }
      if (limit < events.length) res.destroy();
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/v1`,
    requests,
    push: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "11434" } } });
  const fake = await startFakeOpenAI(Number(values.port));
  process.stdout.write(`OpenAI-compatible test server on ${fake.url}\n`);
}
