// AWS event-stream frames (application/vnd.amazon.eventstream) for ConverseStream: events,
// modeled exceptions, and deliberately corrupted frames for fault injection.
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import zlib from "node:zlib";
import type { JsonObject } from "../types.js";
import type { StreamExceptionType } from "./errors.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

// Real Bedrock pads every stream payload with a random-length prefix of this alphabet ("p") so
// frame sizes do not leak token lengths. SDKs ignore unknown members.
const PADDING_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const FULL_PADDING = PADDING_ALPHABET + PADDING_ALPHABET.slice(0, 10);

/** A padding value of random length (1..alphabet repeated to at most 72 chars). */
export function randomPadding(random: () => number = Math.random): string {
  return FULL_PADDING.slice(0, 1 + Math.floor(random() * FULL_PADDING.length));
}

function str(value: string) {
  return { type: "string" as const, value };
}

type FrameKind = ":event-type" | ":exception-type";

function headersOf(kind: FrameKind, type: string) {
  return {
    [kind]: str(type),
    ":content-type": str("application/json"),
    ":message-type": str(kind === ":event-type" ? "event" : "exception"),
  };
}

// The headers of a frame depend only on its kind and type: their bytes are formatted once per type
// (a handful), not once per frame.
const headerBytes = new Map<string, Uint8Array>();

// zlib.crc32 arrived in Node 20.15 and 22.2; without it the codec encodes each whole frame.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * prelude (total length, headers length, CRC) + headers + JSON payload + CRC of all before it, in
 * pooled memory (Buffer.allocUnsafe): a frame of its own ArrayBuffer costs about 3 us more to allocate.
 */
function encodeFrame(kind: FrameKind, type: string, payload: JsonObject): Uint8Array {
  const json = JSON.stringify(payload);
  if (!crc32) return codec.encode({ headers: headersOf(kind, type), body: fromUtf8(json) });
  const key = kind + type;
  let headers = headerBytes.get(key);
  if (!headers) {
    headers = codec.formatHeaders(headersOf(kind, type));
    headerBytes.set(key, headers);
  }
  const length = 16 + headers.length + Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(length);
  out.writeUInt32BE(length, 0);
  out.writeUInt32BE(headers.length, 4);
  const preludeCrc = crc32(out.subarray(0, 8));
  out.writeUInt32BE(preludeCrc, 8);
  out.set(headers, 12);
  out.write(json, 12 + headers.length, "utf8");
  out.writeUInt32BE(crc32(out.subarray(8, length - 4), preludeCrc), length - 4);
  return out;
}

/** encodeEventFrame's bytes in pooled memory, for the server to write to a socket right away. */
export function eventFrameToWrite(eventType: string, payload: JsonObject): Uint8Array {
  return encodeFrame(":event-type", eventType, payload);
}

/** One `:message-type event` frame (a Uint8Array of its own); the payload is the event's members at the top level. */
export function encodeEventFrame(eventType: string, payload: JsonObject): Uint8Array {
  return new Uint8Array(encodeFrame(":event-type", eventType, payload));
}

/** A modeled in-stream exception: `:exception-type` is the lowerCamel union member name. */
export function encodeExceptionFrame(exceptionType: StreamExceptionType, payload: JsonObject): Uint8Array {
  return new Uint8Array(encodeFrame(":exception-type", exceptionType, payload));
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
