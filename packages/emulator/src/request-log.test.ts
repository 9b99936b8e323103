import { test } from "node:test";
import assert from "node:assert/strict";
import { pruneDepth, redactPath, RequestLog, type LoggedRequest } from "./request-log.js";
import type { JsonValue } from "./types.js";

const entry = (i: number): LoggedRequest => ({ id: String(i), time: "", method: "POST", path: `/${i}`, headers: {}, protocol: "http/1.1" });
const ids = (log: RequestLog) => log.list().map((e) => Number(e.id));
const fill = (log: RequestLog, n: number) => {
  for (let i = 0; i < n; i++) log.add(entry(i));
  return log;
};

test("the log keeps the newest entries up to its capacity, oldest first", () => {
  assert.deepEqual(ids(fill(new RequestLog(3), 2)), [0, 1]);
  assert.deepEqual(ids(fill(new RequestLog(3), 5)), [2, 3, 4]);
  const big = ids(fill(new RequestLog(1000), 5500));
  assert.equal(big.length, 1000);
  assert.deepEqual(
    big,
    Array.from({ length: 1000 }, (_, i) => 4500 + i),
  );
  assert.deepEqual(ids(fill(new RequestLog(0), 3000)), []);
  assert.equal(ids(fill(new RequestLog(Infinity), 3000)).length, 3000);
});

test("clear empties the log, and listed entries are copies", () => {
  const log = fill(new RequestLog(2), 5);
  const [first] = log.list();
  first.path = "/changed";
  assert.equal(log.list()[0].path, "/3");
  log.clear();
  assert.deepEqual(log.list(), []);
  log.add(entry(9));
  assert.deepEqual(ids(log), [9]);
});

test("redactPath replaces credential-like query values and keeps everything else as sent", () => {
  assert.equal(redactPath("/model/x/converse"), "/model/x/converse");
  assert.equal(
    redactPath("/m?X-Amz-Credential=AKID%2F2025&X-Amz-Signature=ab&X-Amz-Date=20250101T000000Z&a=1&token&X-Amz-Security-Token=t%3D"),
    "/m?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Date=20250101T000000Z&a=1&token&X-Amz-Security-Token=[REDACTED]",
  );
  assert.equal(redactPath("/m?api_key=k&%E0%A4%A=v&x-auth=s"), "/m?api_key=[REDACTED]&%E0%A4%A=v&x-auth=[REDACTED]");
});

test("pruneDepth keeps 64 levels and replaces deeper values; own __proto__ members survive", () => {
  let deep: JsonValue = "leaf";
  for (let i = 0; i < 200; i++) deep = [deep];
  let pruned = pruneDepth(deep);
  let levels = 0;
  while (Array.isArray(pruned)) {
    pruned = pruned[0];
    levels++;
  }
  assert.equal(levels, 64);
  assert.equal(pruned, "[nested deeper than 64 levels: not logged]");
  const withProto = pruneDepth(JSON.parse('{"__proto__":{"a":1}}') as JsonValue) as Record<string, JsonValue>;
  assert.ok(Object.hasOwn(withProto, "__proto__"));
  assert.equal(Object.getPrototypeOf(withProto), Object.prototype);
});

test("a log bounded in bytes drops its oldest entries but always keeps the newest", () => {
  const log = new RequestLog(1000, { maxBytes: 10_000, maxBodyBytes: 4_000 });
  for (let i = 0; i < 10; i++) log.setBody(log.add(entry(i)), Buffer.from(JSON.stringify({ text: "x".repeat(3_000) })));
  const kept = ids(log);
  assert.ok(kept.length >= 1 && kept.length < 5, `kept ${kept.length}`);
  assert.equal(kept.at(-1), 9);
  const huge = log.add(entry(10));
  log.setBody(huge, Buffer.alloc(50_000, 0x61));
  assert.deepEqual(ids(log), [10]);
  assert.equal(log.list()[0].bodyTruncated, true);
  assert.equal(log.list()[0].bodyBytes, 50_000);
});

test("setBody logs a value the caller already parsed as a copy; a blank body stays as sent; without one it parses", () => {
  const log = new RequestLog(10);
  const parsed = { messages: [{ role: "user", content: [{ text: "hi" }] }] };
  const a = log.add(entry(1));
  log.setBody(a, Buffer.from(JSON.stringify(parsed)), { json: parsed });
  parsed.messages[0].content[0].text = "changed later by the server";
  assert.deepEqual(log.list()[0].body, { messages: [{ role: "user", content: [{ text: "hi" }] }] });
  const blank = log.add(entry(2));
  log.setBody(blank, Buffer.from("  \n"), { json: {} });
  assert.equal(log.list()[1].body, "  \n");
  const unparsed = log.add(entry(3));
  log.setBody(unparsed, Buffer.from('{"a":[1]}'));
  const notJson = log.add(entry(4));
  log.setBody(notJson, Buffer.from("{oops"));
  assert.deepEqual(
    log
      .list()
      .slice(2)
      .map((e) => e.body),
    [{ a: [1] }, "{oops"],
  );
});
