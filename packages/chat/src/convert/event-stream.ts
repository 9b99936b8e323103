// ConverseStream's binary event stream → the SDK's event objects ({contentBlockDelta: {...}}, ...),
// decoded with smithy's EventStreamCodec (CRC-checked) and JSON.parse. The SDK does the same and then
// walks every event through its schema deserializer, about half of its per-event cost; Converse
// events are plain JSON, so the walk changes nothing our converter reads (blobs stay base64 strings,
// which it accepts, and Bedrock's `p` padding member stays on the payload, which it never reads).
// Exceptions and errors are raised exactly as the SDK raises them.
import {
  InternalServerException,
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import type { StreamExceptionMember } from "../errors.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const decoder = new TextDecoder();

/** The event members of ConverseStreamOutput; others are skipped, as the SDK skips unknown members. */
const EVENT_MEMBERS = new Set(["messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);

type ExceptionCtor = new (opts: never) => Error;
// The SDK's class for each stream exception of errors.ts's table (the type makes the two agree).
const EXCEPTIONS: Record<StreamExceptionMember, ExceptionCtor> = {
  internalServerException: InternalServerException as unknown as ExceptionCtor,
  modelStreamErrorException: ModelStreamErrorException as unknown as ExceptionCtor,
  serviceUnavailableException: ServiceUnavailableException as unknown as ExceptionCtor,
  throttlingException: ThrottlingException as unknown as ExceptionCtor,
  validationException: ValidationException as unknown as ExceptionCtor,
};

type Headers = Record<string, { value: unknown } | undefined>;

function headerString(headers: Headers, name: string): string | undefined {
  const v = headers[name]?.value;
  return typeof v === "string" ? v : undefined;
}

function parseBody(body: Uint8Array): Record<string, unknown> {
  return body.byteLength === 0 ? {} : (JSON.parse(decoder.decode(body)) as Record<string, unknown>);
}

/** One decoded frame → an event, undefined (skipped), or a thrown exception. */
function toEvent(frame: Uint8Array): Record<string, unknown> | undefined {
  const message = codec.decode(frame);
  const headers = message.headers as Headers;
  const type = headerString(headers, ":message-type");
  if (type === "event") {
    const name = headerString(headers, ":event-type") ?? "";
    return EVENT_MEMBERS.has(name) ? { [name]: parseBody(message.body) } : undefined;
  }
  if (type === "exception") {
    const code = headerString(headers, ":exception-type") ?? "";
    const Ctor = Object.hasOwn(EXCEPTIONS, code) ? EXCEPTIONS[code as StreamExceptionMember] : undefined;
    if (!Ctor) {
      const unknown = new Error(decoder.decode(message.body));
      unknown.name = code;
      throw unknown;
    }
    const data = parseBody(message.body);
    throw Object.assign(new Ctor({} as never), { message: data.message ?? data.Message ?? "Unknown" }, data);
  }
  if (type === "error") {
    const err = new Error(headerString(headers, ":error-message") || "UnknownError");
    err.name = headerString(headers, ":error-code") ?? "Error";
    throw err;
  }
  throw new Error(`Unrecognizable event type: ${headerString(headers, ":event-type")}`);
}

/** Events of a ConverseStream body, frame by frame, whatever the chunking of the body. */
export async function* decodeConverseEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<Record<string, unknown>> {
  let pending: Uint8Array | undefined;
  for await (const chunk of body) {
    let buf = chunk;
    if (pending) {
      buf = new Uint8Array(pending.byteLength + chunk.byteLength);
      buf.set(pending, 0);
      buf.set(chunk, pending.byteLength);
      pending = undefined;
    }
    let offset = 0;
    while (buf.byteLength - offset >= 4) {
      const total = new DataView(buf.buffer, buf.byteOffset + offset, 4).getUint32(0, false);
      if (buf.byteLength - offset < total) break;
      // A frame shorter than its own prelude cannot be waited for: let the codec say what is wrong.
      const end = offset + Math.max(total, 4);
      const event = toEvent(buf.subarray(offset, end));
      offset = end;
      if (event) yield event;
    }
    if (offset < buf.byteLength) pending = buf.slice(offset);
  }
  if (pending) throw new Error("Truncated event message received.");
}
