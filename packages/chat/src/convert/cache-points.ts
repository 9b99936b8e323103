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

/**
 * A cache point content block: Python's `create_cache_point()` (`{cachePoint: {type: "default"}}`) plus
 * `type: "cachePoint"`, which LangChain message content requires of every block. It goes in system or
 * message content, tool messages and the tool list; it is sent to Bedrock as `{cachePoint}`.
 */
export type CachePointBlock = {
  readonly type: "cachePoint";
  cachePoint: WireCachePoint["cachePoint"];
};

/** A cache point block, for system, messages and tools (Python's create_cache_point). */
export function createCachePoint(ttl?: "5m" | "1h"): CachePointBlock {
  return { type: "cachePoint", ...cachePointBlock(ttl) };
}
