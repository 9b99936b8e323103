import { test } from "node:test";
import assert from "node:assert/strict";
import { isPlainObject } from "./objects.js";

test("isPlainObject: non-null objects that are not arrays", () => {
  for (const yes of [{}, { a: 1 }, Object.create(null), new Date(0), new Uint8Array(2)]) assert.equal(isPlainObject(yes), true);
  for (const no of [null, undefined, [], [{}], "x", 0, true, () => ({})]) assert.equal(isPlainObject(no), false);
});
