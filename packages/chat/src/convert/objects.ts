/**
 * The one "is this a JSON-style object?" check of the package. Options, tool definitions, schemas and
 * request fields arrive as `unknown`; before a key is read, the value must be a non-null object that
 * is not an array. Class instances pass (a `Date` or a `Uint8Array` is an object too): call sites that
 * must refuse those add their own check (see `isDict` in keys.ts, which refuses byte arrays).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
