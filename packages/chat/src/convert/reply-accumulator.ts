// The whole reply of a stream, as @langchain/core's left fold `a.concat(b).concat(c)…` of its
// ChatGenerationChunks builds it, at a fraction of the cost. Each core concat builds a new
// AIMessageChunk (the slow constructor, see chunk-fields.ts) and re-merges every dict; a 500-delta
// reply pays that 500 times. Consecutive plain text deltas of one block are folded by joining their
// text first: core's merge of such chunks only appends `text` to the block with the same index (the
// `type`, `index`, `model_provider` and `id` keys are kept, empty tool-call lists and `{}` dicts merge
// to the same), so one concat of the joined run gives the same message as one concat per delta.
import type { AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { aiMessageChunk } from "./chunk-fields.js";

interface TextRun {
  index: unknown;
  id: string | undefined;
  provider: unknown;
  first: ChatGenerationChunk;
  texts: string[];
}

/** Index and text of a chunk that is exactly one `{type: "text", text, index}` block and nothing else; else undefined. */
function plainTextDelta(chunk: ChatGenerationChunk): { index: unknown; text: string } | undefined {
  const m = chunk.message as AIMessageChunk;
  const content = m.content;
  if (!Array.isArray(content) || content.length !== 1) return undefined;
  const block = content[0] as Record<string, unknown>;
  if (
    block.type !== "text" ||
    typeof block.text !== "string" ||
    block.text === "" ||
    !("index" in block) ||
    Object.keys(block).length !== 3
  )
    return undefined;
  if (
    m.usage_metadata !== undefined ||
    (m.tool_call_chunks?.length ?? 0) > 0 ||
    (m.tool_calls?.length ?? 0) > 0 ||
    (m.invalid_tool_calls?.length ?? 0) > 0
  )
    return undefined;
  const rm = m.response_metadata as Record<string, unknown>;
  if (Object.keys(rm).length !== 1 || typeof rm.model_provider !== "string") return undefined;
  if (Object.keys(m.additional_kwargs).length > 0 || chunk.generationInfo !== undefined || chunk.text !== block.text) return undefined;
  return { index: block.index, text: block.text };
}

export class ReplyAccumulator {
  #reply: ChatGenerationChunk | undefined;
  #run: TextRun | undefined;

  add(chunk: ChatGenerationChunk): void {
    // The first chunk starts the fold as is, as in core.
    if (!this.#reply) {
      this.#reply = chunk;
      return;
    }
    const delta = plainTextDelta(chunk);
    const run = this.#run;
    if (delta) {
      const m = chunk.message;
      const provider = (m.response_metadata as Record<string, unknown>).model_provider;
      if (run && run.index === delta.index && run.id === m.id && run.provider === provider) {
        run.texts.push(delta.text);
        return;
      }
      this.#flush();
      this.#run = { index: delta.index, id: m.id, provider, first: chunk, texts: [delta.text] };
      return;
    }
    this.#flush();
    this.#reply = this.#reply.concat(chunk);
  }

  /** The concatenated reply so far (undefined before the first chunk). */
  result(): ChatGenerationChunk | undefined {
    this.#flush();
    return this.#reply;
  }

  #flush(): void {
    const run = this.#run;
    if (!run || !this.#reply) return;
    this.#run = undefined;
    if (run.texts.length === 1) {
      this.#reply = this.#reply.concat(run.first);
      return;
    }
    const text = run.texts.join("");
    const message = aiMessageChunk({
      content: [{ type: "text", text, index: run.index }] as AIMessageChunk["content"],
      response_metadata: { model_provider: run.provider },
      id: run.id,
    });
    this.#reply = this.#reply.concat(new ChatGenerationChunk({ text, message }));
  }
}
