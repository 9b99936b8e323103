import { test } from "node:test";
import assert from "node:assert/strict";
import { RequestLog, type LoggedRequest } from "./request-log.js";

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
  assert.deepEqual(big, Array.from({ length: 1000 }, (_, i) => 4500 + i));
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
