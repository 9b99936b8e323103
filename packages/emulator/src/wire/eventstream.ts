// AWS event-stream frames (application/vnd.amazon.eventstream) for ConverseStream: events,
// modeled exceptions, and deliberately corrupted frames for fault injection.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { JsonObject } from "../types.js";
import type { StreamExceptionType } from "./errors.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

// Real Bedrock pads every stream payload with a random-length prefix of this alphabet ("p") so
// frame sizes do not leak token lengths. SDKs ignore unknown members.
const PADDING_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A padding value of random length (1..alphabet repeated to at most 72 chars). */
export function randomPadding(random: () => number = Math.random): string {
  const full = PADDING_ALPHABET + PADDING_ALPHABET.slice(0, 10);
  return full.slice(0, 1 + Math.floor(random() * full.length));
}

function str(value: string) {
  return { type: "string" as const, value };
}

/** One `:message-type event` frame; the payload is the event's members at the top level. */
export function encodeEventFrame(eventType: string, payload: JsonObject): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": str(eventType),
      ":content-type": str("application/json"),
      ":message-type": str("event"),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A modeled in-stream exception: `:exception-type` is the lowerCamel union member name. */
export function encodeExceptionFrame(exceptionType: StreamExceptionType, payload: JsonObject): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": str(exceptionType),
      ":content-type": str("application/json"),
      ":message-type": str("exception"),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A copy of `frame` whose message CRC no longer matches, so decoders reject it. */
export function corruptFrame(frame: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(frame);
  copy[copy.length - 1] ^= 0xff;
  return copy;
}

/** Decodes frames (tests, tools): returns headers as plain strings and the parsed JSON payload. */
export function decodeFrames(bytes: Uint8Array): { headers: Record<string, string>; payload: unknown }[] {
  const out: { headers: Record<string, string>; payload: unknown }[] = [];
  let offset = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (offset + 4 <= bytes.length) {
    const total = view.getUint32(offset);
    const message = codec.decode(bytes.subarray(offset, offset + total));
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value);
    const text = toUtf8(message.body);
    out.push({ headers, payload: text ? JSON.parse(text) : undefined });
    offset += total;
  }
  return out;
}
