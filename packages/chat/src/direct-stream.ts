// The stream `model.stream()` returns. @langchain/core's Runnable.stream() pulls every chunk through a
// WHATWG ReadableStream and re-enters the run's AsyncLocalStorage context around each step; for a chat
// model only the first step (callback set-up, handleChatModelStart, the request) can observe that
// context, since core runs every handler with an empty one. So the first step runs in the context
// (`runFirst`), and later `for await` steps pull straight from the generator; getReader()/pipeTo still
// work through the ReadableStream side, which pulls from the same generator only when read
// (highWaterMark 0).
import { IterableReadableStream } from "@langchain/core/utils/stream";

/** The error an aborted signal rejects with (the same rule as @langchain/core's). */
function abortErrorOf(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  if (typeof signal.reason === "string") return new Error(signal.reason);
  return new Error("Aborted");
}

/** `promise`, or a rejection as soon as `signal` aborts, whichever comes first. */
function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortErrorOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortErrorOf(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        // After an abort the generator's own error is noise: the abort rejection already won.
        if (!signal.aborted) reject(err);
      },
    );
  });
}

export class DirectStream<T> extends IterableReadableStream<T> {
  readonly #generator: AsyncGenerator<T>;
  readonly #signal: AbortSignal | undefined;
  #first: Promise<IteratorResult<T>> | undefined;

  private constructor(
    holder: { stream?: DirectStream<T> },
    generator: AsyncGenerator<T>,
    signal: AbortSignal | undefined,
    first: Promise<IteratorResult<T>>,
  ) {
    super(
      {
        async pull(controller) {
          const { value, done } = await holder.stream!.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel() {
          await holder.stream!.return();
        },
      },
      { highWaterMark: 0 },
    );
    this.#generator = generator;
    this.#signal = signal;
    this.#first = first;
  }

  /**
   * Runs the generator up to its first chunk, as `Runnable.stream()` does, so a request that fails
   * rejects the `stream()` call itself.
   */
  static async start<T>(
    generator: AsyncGenerator<T>,
    signal?: AbortSignal,
    runFirst: (step: () => Promise<IteratorResult<T>>) => Promise<IteratorResult<T>> = (step) => step(),
  ): Promise<DirectStream<T>> {
    const first = runFirst(() => (signal ? raceWithSignal(generator.next(), signal) : generator.next()));
    await first;
    const holder: { stream?: DirectStream<T> } = {};
    holder.stream = new DirectStream(holder, generator, signal, first);
    return holder.stream;
  }

  override next(): Promise<IteratorResult<T>> {
    const first = this.#first;
    if (first) {
      this.#first = undefined;
      return first;
    }
    const signal = this.#signal;
    if (!signal) return this.#generator.next();
    if (signal.aborted) return Promise.reject(abortErrorOf(signal));
    return raceWithSignal(this.#generator.next(), signal);
  }

  override async return(): Promise<IteratorResult<T>> {
    this.#first = undefined;
    await this.#generator.return(undefined);
    return { done: true, value: undefined };
  }

  override async throw(e: unknown): Promise<IteratorResult<T>> {
    this.#first = undefined;
    await this.#generator.return(undefined);
    throw e;
  }

  override [Symbol.asyncIterator](): this {
    return this;
  }
}
