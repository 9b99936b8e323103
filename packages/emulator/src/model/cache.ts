// Prompt caching. cachePoint blocks in tools, system or messages mark cacheable prefixes (input is
// read in the order tools -> system -> messages). For each call:
//   - the longest marked prefix already in the store is read: cacheReadInputTokens = its tokens;
//   - the marked prefixes after it are written: cacheWriteInputTokens = tokens from the end of the
//     read prefix to the last cache point, split per cache point's ttl in cacheDetails
//     [{ttl, inputTokens}] (ttl "5m" unless the cachePoint says "1h");
//   - inputTokens = the rest (total input - read - written), as Bedrock reports it.
// Entries are keyed by model id + the exact prefix content, expire after their ttl (refreshed on a
// read) and the store keeps at most `maxEntries` (oldest dropped first).
import type { ConverseRequest } from "../types.js";
import { canonicalJson } from "./conversation.js";
import { stableHash } from "./ids.js";
import { inputSegments } from "./usage.js";

const TTL_MS: Record<string, number> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };

export interface CacheStoreOptions {
  /** Most entries kept (default 10,000). */
  maxEntries?: number;
  /** Clock in ms (default Date.now); inject a fixed one for tests. */
  now?: () => number;
  /** Prefixes shorter than this are not cached (default 0: everything is cacheable). */
  minTokens?: number;
}

export class CacheStore {
  readonly maxEntries: number;
  readonly minTokens: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, number>();

  constructor(options: CacheStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.minTokens = options.minTokens ?? 0;
    this.now = options.now ?? Date.now;
  }

  /** Is the key cached and fresh? A hit extends its life by `ttlMs`. */
  hit(key: string, ttlMs: number): boolean {
    const expires = this.entries.get(key);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    this.entries.delete(key);
    this.entries.set(key, this.now() + ttlMs);
    return true;
  }

  put(key: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, this.now() + ttlMs);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The store used when the server passes none. */
export const defaultCache = new CacheStore();

export function resetCache(): void {
  defaultCache.clear();
}

export interface CacheUsage {
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  cacheDetails: { ttl: string; inputTokens: number }[];
}

interface Checkpoint {
  tokens: number;
  ttl: string;
  key: string;
}

/** Cache points of the request with the tokens before each and the prefix's cache key. */
export function checkpoints(request: ConverseRequest, modelId: string): Checkpoint[] {
  const out: Checkpoint[] = [];
  let tokens = 0;
  const seen: unknown[] = [];
  for (const seg of inputSegments(request)) {
    if (seg.kind === "content") {
      tokens += seg.tokens;
      seen.push(seg.value);
    } else {
      out.push({ tokens, ttl: seg.ttl, key: stableHash(canonicalJson({ modelId, prefix: seen as never })) });
    }
  }
  return out;
}

/** Apply caching to a request: undefined when it has no cache points. Updates the store. */
export function applyCache(request: ConverseRequest, modelId: string, store: CacheStore = defaultCache): CacheUsage | undefined {
  const points = checkpoints(request, modelId).filter((p) => p.tokens > 0 && p.tokens >= store.minTokens);
  const anyPoint = inputSegments(request).some((s) => s.kind === "cachePoint");
  if (!anyPoint) return undefined;
  let readIdx = -1;
  for (let i = points.length - 1; i >= 0; i--) {
    if (store.hit(points[i].key, TTL_MS[points[i].ttl] ?? TTL_MS["5m"])) {
      readIdx = i;
      break;
    }
  }
  const read = readIdx >= 0 ? points[readIdx].tokens : 0;
  const perTtl = new Map<string, number>();
  let prev = read;
  for (let i = readIdx + 1; i < points.length; i++) {
    const p = points[i];
    const written = p.tokens - prev;
    if (written > 0) perTtl.set(p.ttl, (perTtl.get(p.ttl) ?? 0) + written);
    prev = Math.max(prev, p.tokens);
    store.put(p.key, TTL_MS[p.ttl] ?? TTL_MS["5m"]);
  }
  const write = [...perTtl.values()].reduce((a, b) => a + b, 0);
  return {
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
    cacheDetails: [...perTtl.entries()].map(([ttl, inputTokens]) => ({ ttl, inputTokens })),
  };
}
