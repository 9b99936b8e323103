// Prompt caching. cachePoint blocks in tools, system or messages mark cacheable prefixes (input is
// read in the order tools -> system -> messages). For each call:
//   - the longest stored prefix ending at a cache point, or at a block boundary up to 20 blocks
//     before one (Anthropic's lookback), is read: cacheReadInputTokens = its tokens;
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

/** How many blocks before a cache point are also looked up for a hit (Anthropic's lookback). */
const CACHE_LOOKBACK_BLOCKS = 20;

interface Boundary {
  tokens: number;
  key: string;
}

/**
 * The request's prefixes: a boundary after every content block (role markers excepted), and the
 * cache points, each with the index of the boundary it closes. Keys chain a hash over the blocks,
 * so a prefix has the same key wherever the cache points sit.
 */
function prefixes(request: ConverseRequest, modelId: string): { boundaries: Boundary[]; points: (Checkpoint & { at: number })[] } {
  const boundaries: Boundary[] = [];
  const points: (Checkpoint & { at: number })[] = [];
  let tokens = 0;
  let key = stableHash(canonicalJson({ modelId }));
  for (const seg of inputSegments(request)) {
    if (seg.kind === "content") {
      tokens += seg.tokens;
      key = stableHash(key + canonicalJson(seg.value as never));
      if (!("role" in (seg.value as object))) boundaries.push({ tokens, key });
    } else {
      points.push({ tokens, ttl: seg.ttl, key, at: boundaries.length - 1 });
    }
  }
  return { boundaries, points };
}

/** Cache points of the request with the tokens before each and the prefix's cache key. */
export function checkpoints(request: ConverseRequest, modelId: string): Checkpoint[] {
  return prefixes(request, modelId).points.map(({ tokens, ttl, key }) => ({ tokens, ttl, key }));
}

/**
 * Apply caching to a request: undefined when it has no cache points. Updates the store.
 * The read is the longest stored prefix ending at a cache point or within the
 * CACHE_LOOKBACK_BLOCKS blocks before one (so a conversation whose cache points moved on still
 * reads what the previous turn wrote); writes happen only at the cache points after it.
 */
export function applyCache(request: ConverseRequest, modelId: string, store: CacheStore = defaultCache): CacheUsage | undefined {
  const anyPoint = inputSegments(request).some((s) => s.kind === "cachePoint");
  if (!anyPoint) return undefined;
  const { boundaries, points: all } = prefixes(request, modelId);
  const usable = (tokens: number) => tokens > 0 && tokens >= store.minTokens;
  const points = all.filter((p) => usable(p.tokens));
  // candidate boundaries, each with the ttl of the cache point whose lookback window holds it
  const candidates = new Map<number, string>();
  for (const p of points) {
    for (let b = p.at; b >= 0 && b > p.at - CACHE_LOOKBACK_BLOCKS; b--) if (!candidates.has(b)) candidates.set(b, p.ttl);
  }
  let readAt = -1;
  for (const b of [...candidates.keys()].sort((x, y) => y - x)) {
    const boundary = boundaries[b];
    if (!usable(boundary.tokens)) continue;
    if (store.hit(boundary.key, TTL_MS[candidates.get(b)!] ?? TTL_MS["5m"])) {
      readAt = b;
      break;
    }
  }
  const read = readAt >= 0 ? boundaries[readAt].tokens : 0;
  const perTtl = new Map<string, number>();
  let prev = read;
  for (const p of points) {
    if (p.at <= readAt) continue;
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
