// Writes a ConverseStream answer: one event-stream frame per write with backpressure, Bedrock's
// random padding, an optional pause between events, and the in-stream faults (cut, exception
// frame, corrupt frame, connection reset) at their place in the stream.
import { faultStreamExceptionType, type Fault } from "./faults.js";
import { addNote, type LoggedRequest } from "./request-log.js";
import { baseHeaders, gone, pause, writeChunk, type Exchange } from "./respond.js";
import type { AnyRequest } from "./transport.js";
import type { JsonObject } from "./types.js";
import { defaultStreamExceptionMessage, type StreamExceptionType } from "./wire/errors.js";
import {
  corruptFrame,
  encodeEventFrame,
  encodeExceptionFrame,
  EVENTSTREAM_CONTENT_TYPE,
  eventFrameToWrite,
  randomPadding,
} from "./wire/eventstream.js";
import type { StreamEvent } from "./wire/stream-events.js";

export interface StreamWriterOptions {
  /** Add the random "p" member to each event. */
  padding: boolean;
  /** Pause between events in ms. */
  eventDelayMs: number;
  /** Resets the client's connection (flushing what was written first). */
  resetConnection(req: AnyRequest, flush: boolean): Promise<void>;
  /** Entries whose connection a fault closed, so the log does not call them aborted. */
  closedByFault: WeakSet<LoggedRequest>;
}

export type StreamWriter = (x: Exchange, events: StreamEvent[], fault: Fault | undefined) => Promise<void>;

export function createStreamWriter(options: StreamWriterOptions): StreamWriter {
  /** Streams `events`, one frame per write, honouring backpressure; applies an in-stream fault. */
  return async function writeStream(x, events, fault) {
    const { res, entry } = x;
    if (gone(res)) return;
    entry.status = 200;
    entry.streamEvents = [];
    res.writeHead(200, baseHeaders(x.requestId, EVENTSTREAM_CONTENT_TYPE));
    // A stream fault never lets metadata through: it fires before the metadata event at the latest.
    const last = events[events.length - 1]?.type === "metadata" ? events.length - 1 : events.length;
    const faultAt = fault ? Math.min(fault.afterEvents ?? 1, last) : -1;
    // The head goes out with the first frame (one write); flushed alone only when a fault comes first.
    if (faultAt === 0) (res as { flushHeaders?: () => void }).flushHeaders?.();
    for (let i = 0; i <= events.length; i++) {
      if (i > 0 && options.eventDelayMs) await pause(options.eventDelayMs, res);
      if (i === faultAt && fault) return applyStreamFault(x, events[i], fault);
      if (i === events.length) break;
      const event = events[i];
      const payload = options.padding ? { ...event.payload, p: randomPadding() } : event.payload;
      const frame = eventFrameToWrite(event.type, payload);
      if (i === events.length - 1 && faultAt !== events.length) {
        // The last frame goes out with the end of the response: one write, and no pause after it.
        if (gone(res)) return;
        res.end(frame);
        entry.streamEvents.push(event.type);
        return;
      }
      if (!(await writeChunk(res, frame))) return;
      entry.streamEvents.push(event.type);
      // A write that does not hit backpressure resolves at once; let other clients in now and then.
      if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  };

  async function applyStreamFault(x: Exchange, next: StreamEvent | undefined, fault: Fault): Promise<void> {
    const { req, res, entry } = x;
    const sent = entry.streamEvents!;
    options.closedByFault.add(entry);
    switch (fault.kind) {
      case "stream-cut":
        addNote(entry, `fault: stream cut after ${sent.length} events`);
        res.end();
        return;
      case "stream-exception": {
        const type: StreamExceptionType = faultStreamExceptionType(fault);
        const payload: JsonObject = { message: fault.message ?? defaultStreamExceptionMessage(type) };
        if (type === "modelStreamErrorException" && fault.status) payload.originalStatusCode = fault.status;
        if (await writeChunk(res, encodeExceptionFrame(type, payload))) sent.push(type);
        entry.errorType = type;
        res.end();
        return;
      }
      case "corrupt-frame": {
        const victim = next ?? { type: "messageStop", payload: { stopReason: "end_turn" } };
        if (await writeChunk(res, corruptFrame(encodeEventFrame(victim.type, victim.payload)))) sent.push(`${victim.type} (corrupt)`);
        res.end();
        return;
      }
      case "connection-reset":
        addNote(entry, `fault: connection reset after ${sent.length} events`);
        await options.resetConnection(req, true);
        return;
      default:
        res.end();
    }
  }
}
