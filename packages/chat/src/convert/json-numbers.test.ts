import assert from "node:assert/strict";
import { test } from "node:test";
import { reportUnsafeIntegersInJsonText, toPlainJsonNumbers, unsafeIntegerWarning } from "./json-numbers.js";

/** What the AWS SDK's reviver returns for a long decimal on Node >= 21 (a class instance, not a plain object). */
class NumericValue {
  constructor(
    readonly string: string,
    readonly type: "bigDecimal",
  ) {}
}

function collect() {
  const seen: [string, number, string | undefined][] = [];
  return { seen, on: (path: string, value: number, exact: string | undefined) => void seen.push([path, value, exact]) };
}

test("json numbers: BigInt and NumericValue become what JSON.parse gives for the same text", () => {
  const text = '{"id":12345678901234567891,"n":[1,2.5,0.10000000000000000001],"ok":true,"s":"x"}';
  const sdkShaped = { id: 12345678901234567891n, n: [1, 2.5, new NumericValue("0.10000000000000000001", "bigDecimal")], ok: true, s: "x" };
  const { seen, on } = collect();
  const out = toPlainJsonNumbers(sdkShaped, "args", on);
  assert.deepEqual(out, JSON.parse(text));
  assert.equal(typeof (out as { id: unknown }).id, "number");
  assert.doesNotThrow(() => JSON.stringify(out));
  assert.deepEqual(seen, [["args.id", 12345678901234567000, "12345678901234567891"]]);
});

test("json numbers: nothing to change keeps the same objects; byte arrays and negative big integers", () => {
  const bytes = new Uint8Array([1, 2]);
  const doc = { a: { b: [1, "two", null] }, bytes };
  const { seen, on } = collect();
  assert.equal(toPlainJsonNumbers(doc, "x", on), doc);
  assert.deepEqual(seen, []);
  const neg = toPlainJsonNumbers({ "odd key": [-9007199254740993n] }, "args", on) as Record<string, number[]>;
  assert.equal(neg["odd key"][0], -9007199254740992);
  assert.deepEqual(seen, [['args["odd key"][0]', -9007199254740992, "-9007199254740993"]]);
});

test("json numbers: a number already rounded (Node 20 SDK) is still reported, a safe one is not", () => {
  const { seen, on } = collect();
  toPlainJsonNumbers({ big: 2 ** 60, safe: Number.MAX_SAFE_INTEGER, f: 1.5 }, "args", on);
  assert.deepEqual(seen, [["args.big", 2 ** 60, undefined]]);
});

test("json numbers: a streamed JSON text reports the integers JSON.parse rounds, by path", () => {
  const { seen, on } = collect();
  reportUnsafeIntegersInJsonText('{"order":{"ids":[1,9007199254740993]}}', "args", on);
  reportUnsafeIntegersInJsonText('{"order": 123}', "args", on);
  reportUnsafeIntegersInJsonText('{"broken": 12345678901234567890', "args", on);
  assert.deepEqual(seen, [["args.order.ids[1]", 9007199254740992, undefined]]);
});

test("json numbers: the warning names the place and says how to keep the digits", () => {
  const msg = unsafeIntegerWarning('tool call "GetOrder" (tooluse_1) args.id', 12345678901234567000, "12345678901234567891");
  assert.match(
    msg,
    /at tool call "GetOrder" \(tooluse_1\) args\.id: 12345678901234567891 \(kept as the nearest number, 12345678901234567000\)/,
  );
  assert.match(msg, /as a string in the tool's schema/);
});
