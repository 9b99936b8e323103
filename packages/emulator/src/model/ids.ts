// Deterministic identifiers: the same conversation always gets the same tool-use ids.
import { createHash } from "node:crypto";

/** `tooluse_` + 22 URL-safe base64 characters derived from `seed` and the call's index. */
export function toolUseId(seed: string, index: number): string {
  const digest = createHash("sha256").update(`${seed}\u0000${index}`, "utf8").digest("base64url");
  return `tooluse_${digest.slice(0, 22)}`;
}

/** A short stable hash (hex) for cache keys and the like. */
export function stableHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Mistral's form of a tool-use id: nine letters and digits, derived from the usual id. */
export function mistralToolUseId(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex").slice(0, 9);
}
