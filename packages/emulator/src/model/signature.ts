// Reasoning signatures: the emulator signs every reasoning block it emits and checks the signature
// when an assistant turn carries the block back, as Anthropic models on Bedrock do. An HMAC over the
// reasoning text with a fixed key keeps replies deterministic across runs.
//
// Policy for signatures coming back (see README "Reasoning signatures"):
// - one the emulator issued (base64 of exactly 32 bytes, the HMAC's size) must match the text:
//   a tampered text or signature is refused;
// - one it cannot have issued (a real Claude signature replayed from a recorded session) cannot be
//   checked without Anthropic's key, so it is accepted when it is well-formed base64 of plausible
//   length, and refused under --strict-signatures;
// - anything else (not base64, too short, absurdly long) is refused.
import { createHmac, timingSafeEqual } from "node:crypto";

const DEFAULT_KEY = "bedrock-runtime-emulator/reasoning-signature/v1";
const ISSUED_BYTES = 32;
/** Real Claude signatures are a few hundred base64 characters; anything shorter than this is not one. */
const MIN_FOREIGN_SIGNATURE_BYTES = 48;
const MAX_FOREIGN_SIGNATURE_BYTES = 64 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function signReasoning(text: string, key: string = DEFAULT_KEY): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64");
}

export function verifyReasoningSignature(text: string, signature: string, key: string = DEFAULT_KEY): boolean {
  const expected = Buffer.from(signReasoning(text, key), "utf8");
  const given = Buffer.from(signature, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

type SignatureVerdict =
  /** issued by the emulator for this text */
  | "valid"
  /** looks like one the emulator issued, but does not match the text */
  | "tampered"
  /** well-formed, plausible, and not the emulator's: a signature from the real service */
  | "foreign"
  /** cannot be a signature at all */
  | "malformed";

/** Decoded byte count of a canonical base64 string, or undefined when it is not base64. */
function base64Bytes(s: string): number | undefined {
  if (s.length % 4 !== 0 || !BASE64.test(s)) return undefined;
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return (s.length / 4) * 3 - pad;
}

function classifySignature(text: string, signature: string, key: string = DEFAULT_KEY): SignatureVerdict {
  if (verifyReasoningSignature(text, signature, key)) return "valid";
  const bytes = base64Bytes(signature);
  if (bytes === undefined) return "malformed";
  if (bytes === ISSUED_BYTES) return "tampered";
  return bytes >= MIN_FOREIGN_SIGNATURE_BYTES && bytes <= MAX_FOREIGN_SIGNATURE_BYTES ? "foreign" : "malformed";
}

/** Is a signature coming back acceptable under the policy above? */
export function acceptsSignature(text: string, signature: string, strict: boolean): boolean {
  const verdict = classifySignature(text, signature);
  return verdict === "valid" || (verdict === "foreign" && !strict);
}
