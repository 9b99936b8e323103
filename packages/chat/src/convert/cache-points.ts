/**
 * Bedrock cache points in their wire form, `{cachePoint: {type: "default", ttl?}}`: the same block
 * goes in `system`, in message content and in the tool list. (`createCachePoint` adds LangChain's
 * `type: "cachePoint"` on top for message content; the converters strip it again.)
 */
import { isPlainObject } from "./objects.js";

/** A cache point as Bedrock takes it. */
export interface WireCachePoint {
  cachePoint: { type: "default"; ttl?: "5m" | "1h" };
}

/** A cache point block; `ttl` is left out when not given (Bedrock's default, 5 minutes). */
export function cachePointBlock(ttl?: "5m" | "1h"): WireCachePoint {
  return { cachePoint: { type: "default", ...(ttl ? { ttl } : {}) } };
}

/** Whether a system, content or tool block is a cache point. */
export function isCachePoint(block: unknown): boolean {
  return isPlainObject(block) && "cachePoint" in block;
}
