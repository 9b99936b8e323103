// One ConverseStream call, from request to last event. It owns what a started stream needs beyond the
// SDK: linking the caller's abort signal, the idle watchdog (a stream that goes silent is closed, not
// waited on forever), handing the raw body to our event decoder, closing the connection when the
// consumer stops early, and turning what fails into the typed error the caller gets. What the events
// become (chunks) is the caller's reader's business.
import {
  ConverseStreamCommand,
  type BedrockRuntimeClient,
  type ConverseStreamCommandInput,
  type ConverseStreamCommandOutput,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { rawEventStreams } from "./client.js";
import { decodeConverseEventStream } from "./convert/event-stream.js";
import { BedrockConverseError, BedrockTimeoutError, toBedrockError, toStreamError, type ErrorContext } from "./errors.js";

export interface ConverseStreamCall {
  client: BedrockRuntimeClient;
  /** Builds the request; called when iteration starts, so its errors surface there. */
  prepare(): Promise<ConverseStreamCommandInput>;
  /** The id the request is sent with, for messages. */
  modelId: string;
  /** Milliseconds of silence (no event) before the stream is closed; 0 disables the watchdog. */
  idleTimeoutMs: number;
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /** The context of an error (operation, region, the secrets to redact from it). */
  errorContext(err: unknown): Promise<ErrorContext>;
}

/** Turns one stream's response and events into chunks. */
export interface StreamReader<C> {
  /** The chunk for the response, before any event. */
  start(): C;
  /** The chunks of one event; may throw (an exception carried by the event). */
  convert(event: ConverseStreamOutput): Iterable<C>;
  /** Called once the stream ended normally; throws when the reply is incomplete. */
  finish(): void;
}

/**
 * Runs the call and yields `emit(chunk)` for each chunk `read` makes of it, one at a time: a chunk is
 * emitted (reported to callbacks) only once the one before it was taken. Errors of the stream itself
 * are mapped to typed errors; errors of the reader, `emit` or the consumer (a callback handler that
 * raises) pass through as they are. No generator sits between this one and the consumer: one promise
 * hop per chunk.
 */
export async function* converseStream<C, T>(
  call: ConverseStreamCall,
  read: (output: ConverseStreamCommandOutput) => StreamReader<C>,
  emit: (chunk: C) => T | Promise<T>,
): AsyncGenerator<T, void, undefined> {
  const { client, modelId, idleTimeoutMs, signal: outer } = call;
  const request = await call.prepare();
  const controller = new AbortController();
  const idle = new IdleWatchdog(idleTimeoutMs, controller);
  // LangChain rejects the consumer at once on abort and may never resume this generator, so the
  // abort itself must stop the watchdog (else it pins the event loop for idleTimeoutMs).
  const onAbort = () => {
    idle.stop();
    controller.abort(outer?.reason);
  };
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener("abort", onAbort, { once: true });
  const idleError = () =>
    new BedrockTimeoutError(
      `The Bedrock stream from ${modelId} sent nothing for ${idleTimeoutMs} ms and was closed. Raise streamIdleTimeout (0 disables it) or retry.`,
      { modelId },
    );
  let iterator: AsyncIterator<unknown> | undefined;
  let finished = false;
  try {
    idle.arm();
    // The client's middleware puts the undecoded body here, for our decoder (it skips the SDK's
    // schema walk per event); without it (a client we did not set up) the SDK's stream is used.
    const raw: { body?: AsyncIterable<Uint8Array> } = {};
    let output: ConverseStreamCommandOutput;
    try {
      rawEventStreams.set(request, raw);
      output = await client.send(new ConverseStreamCommand(request), { abortSignal: controller.signal });
    } catch (e) {
      if (idle.fired) throw idleError();
      throw toBedrockError(e, await call.errorContext(e));
    }
    const reader = read(output);
    yield emit(reader.start());
    const requestId = output.$metadata.requestId;
    const events: AsyncIterable<unknown> | undefined = raw.body ? decodeConverseEventStream(raw.body) : output.stream;
    if (!events) throw new BedrockConverseError("Bedrock answered ConverseStream without an event stream.", { requestId });
    iterator = events[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      // Only the stream's own failures are mapped; the reader's and the consumer's pass through.
      try {
        next = await iterator.next();
      } catch (e) {
        if (idle.fired) throw idleError();
        if (outer?.aborted) throw e;
        throw toStreamError(e, { ...(await call.errorContext(e)), requestId });
      }
      if (next.done) break;
      idle.arm();
      for (const chunk of reader.convert(next.value as ConverseStreamOutput)) {
        outer?.throwIfAborted();
        yield emit(chunk);
      }
    }
    if (idle.fired) throw idleError();
    reader.finish();
    finished = true;
  } finally {
    idle.stop();
    outer?.removeEventListener("abort", onAbort);
    // A consumer that stopped early (break) or an error: close the connection instead of letting
    // Bedrock stream the rest of the reply into a socket nobody reads.
    if (!finished) {
      if (!controller.signal.aborted) controller.abort();
      iterator?.return?.().catch(() => {});
    }
  }
}

/**
 * A timer re-armed on every event; once the stream has been silent for `ms` it aborts the call. It is
 * not armed for a call already aborted.
 */
class IdleWatchdog {
  #timer?: NodeJS.Timeout;
  fired = false;
  constructor(
    private readonly ms: number,
    private readonly controller: AbortController,
  ) {}

  arm(): void {
    if (!this.ms || this.controller.signal.aborted) return;
    if (this.#timer) this.#timer.refresh();
    else {
      this.#timer = setTimeout(() => {
        this.fired = true;
        this.controller.abort();
      }, this.ms);
    }
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
