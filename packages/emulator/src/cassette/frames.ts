// Cuts an event stream into whole frames as bytes arrive (a frame starts with its total length),
// so each frame is recorded exactly as sent, whatever the chunking on the wire.
import { decodeFrames } from "../wire/eventstream.js";
import type { JsonValue } from "../types.js";

export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** The whole frames completed by `chunk`. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const total = this.pending.readUInt32BE(0);
      // A length below the 16-byte minimum is garbage: keep it as trailing bytes, never loop.
      if (total < 16 || this.pending.length < total) break;
      frames.push(this.pending.subarray(0, total));
      this.pending = this.pending.subarray(total);
    }
    return frames;
  }

  /** Bytes that never formed a whole frame. */
  rest(): Buffer {
    return this.pending;
  }
}

/** The readable view of one frame; a frame that fails its CRC or does not parse is "corrupt". */
export function describeFrame(frame: Uint8Array): { type: string; messageType?: string; payload?: JsonValue } {
  try {
    const [decoded] = decodeFrames(frame);
    const h = decoded.headers;
    return {
      type: h[":event-type"] ?? h[":exception-type"] ?? "unknown",
      messageType: h[":message-type"],
      payload: decoded.payload as JsonValue,
    };
  } catch {
    return { type: "corrupt" };
  }
}
