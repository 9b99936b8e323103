// Reasoning signatures: the emulator signs every reasoning block it emits and checks the
// signature when an assistant turn carries the block back, as Anthropic models on Bedrock do.
// An HMAC over the reasoning text with a fixed key keeps replies deterministic across runs.
import { createHmac, timingSafeEqual } from "node:crypto";

const DEFAULT_KEY = "bedrock-runtime-emulator/reasoning-signature/v1";

export function signReasoning(text: string, key: string = DEFAULT_KEY): string {
  return createHmac("sha256", key).update(text, "utf8").digest("base64");
}

export function verifyReasoningSignature(text: string, signature: string, key: string = DEFAULT_KEY): boolean {
  const expected = Buffer.from(signReasoning(text, key), "utf8");
  const given = Buffer.from(signature, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
