// A small schema language for Bedrock Runtime request bodies, and the checker that walks a parsed
// JSON value against it the way the service does.
//
// The service validates in three passes, and the checker reports them separately:
//  1. Deserialization (Coral's JSON reader). A JSON value of the wrong kind (a string where a structure
//     is expected, a number where a string is expected, ...) aborts the request with a
//     SerializationException before any constraint is looked at. Only the first such problem is reported.
//  2. Constraint validation (Coral). Every violated `required`/`min`/`max`/`pattern`/`enum` is collected
//     and reported together: "N validation error(s) detected: a; b". Paths are Coral paths: member
//     names joined by dots, list elements as `<list>.<1-based index>.member` (reference §2.3).
//  3. Union cardinality (Bedrock's own check: Coral does not know unions). A union object must set
//     exactly one member; the first offender is reported with a 0-based "plain" path, the style Bedrock
//     uses in its own messages (`messages.0.content.1.document.source`).
//
// Unknown members are ignored and dropped from the returned value, as Coral's JSON reader does for
// forward compatibility. JSON null is treated as an absent member.

export type Shape =
  | StructureShape
  | UnionShape
  | ListShape
  | MapShape
  | StringShape
  | NumberShape
  | BooleanShape
  | BlobShape
  | DocumentShape;

interface ShapeBase {
  /** Sensitive values are not echoed in Coral messages (`Value at 'x' failed ...`). Inherited by children. */
  sensitive?: boolean;
}
export interface StructureShape extends ShapeBase {
  kind: "structure";
  name: string;
  members: Record<string, Shape>;
  required?: readonly string[];
}
export interface UnionShape extends ShapeBase {
  kind: "union";
  name: string;
  members: Record<string, Shape>;
}
export interface ListShape extends ShapeBase {
  kind: "list";
  member: Shape;
  min?: number;
  max?: number;
}
export interface MapShape extends ShapeBase {
  kind: "map";
  key: StringShape;
  value: Shape;
  min?: number;
  max?: number;
}
export interface StringShape extends ShapeBase {
  kind: "string";
  min?: number;
  max?: number;
  /** The pattern exactly as the service model spells it (it is quoted in error messages). */
  pattern?: string;
  enum?: readonly string[];
}
export interface NumberShape extends ShapeBase {
  kind: "integer" | "float";
  min?: number;
  max?: number;
}
export interface BooleanShape extends ShapeBase {
  kind: "boolean";
}
export interface BlobShape extends ShapeBase {
  kind: "blob";
  /** limits apply to the decoded byte count */
  min?: number;
  max?: number;
}
export interface DocumentShape extends ShapeBase {
  kind: "document";
}

// ---- constructors -------------------------------------------------------------------------------

type Limits = { min?: number; max?: number };

export const struct = (name: string, members: Record<string, Shape>, required: readonly string[] = []): StructureShape => ({
  kind: "structure",
  name,
  members,
  required,
});
export const union = (name: string, members: Record<string, Shape>): UnionShape => ({ kind: "union", name, members });
export const list = (member: Shape, limits: Limits = {}): ListShape => ({ kind: "list", member, ...limits });
export const map = (key: StringShape, value: Shape, limits: Limits = {}): MapShape => ({ kind: "map", key, value, ...limits });
export const str = (c: Omit<StringShape, "kind"> = {}): StringShape => ({ kind: "string", ...c });
export const enumOf = (...values: string[]): StringShape => ({ kind: "string", enum: values });
export const int = (limits: Limits = {}): NumberShape => ({ kind: "integer", ...limits });
export const float = (limits: Limits = {}): NumberShape => ({ kind: "float", ...limits });
export const bool = (): BooleanShape => ({ kind: "boolean" });
export const blob = (limits: Limits = {}): BlobShape => ({ kind: "blob", ...limits });
export const doc = (): DocumentShape => ({ kind: "document" });
/** Marks a shape sensitive (a shallow copy, so shared shapes stay untouched). */
export const sensitive = <S extends Shape>(s: S): S => ({ ...s, sensitive: true });

// ---- checking -------------------------------------------------------------------------------------

export interface ShapeCheck {
  /** the value with unknown members and nulls dropped; meaningful only when nothing failed */
  value: unknown;
  /** first deserialization problem (SerializationException text), if any */
  serializationError?: string;
  /** Coral constraint violations, each "Value ... at '...' failed to satisfy constraint: ..." */
  violations: string[];
  /** first union-cardinality problem (ValidationException text), if any */
  unionError?: string;
}

class SerializationFailure extends Error {}

interface Ctx {
  violations: string[];
  unionError?: string;
}

interface Where {
  coral: string; // Coral path, 1-based list indexes with ".member"
  plain: string; // Bedrock path, 0-based list indexes
  sensitive: boolean;
}

const join = (base: string, name: string): string => (base ? `${base}.${name}` : name);

/** Checks `value` against `shape`. `top` names the root (empty for a request body). */
export function checkShape(shape: Shape, value: unknown, top: Partial<Where> = {}): ShapeCheck {
  const ctx: Ctx = { violations: [] };
  try {
    const cleaned = walk(shape, value, { coral: top.coral ?? "", plain: top.plain ?? "", sensitive: top.sensitive ?? false }, ctx);
    return { value: cleaned, violations: ctx.violations, unionError: ctx.unionError };
  } catch (e) {
    if (e instanceof SerializationFailure) return { value: undefined, serializationError: e.message, violations: [] };
    throw e;
  }
}

/** Formats Coral violations the way the service joins them. */
export function formatViolations(violations: readonly string[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${violations.join("; ")}`;
}

function jsonKind(v: unknown): "object" | "array" | "string" | "number" | "boolean" {
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v as "string" | "number" | "boolean";
}

/** Jackson-style token name used in Coral's SerializationException texts. */
function token(v: unknown): string {
  switch (jsonKind(v)) {
    case "string":
      return "STRING_VALUE";
    case "number":
      return "NUMBER_VALUE";
    case "boolean":
      return v ? "TRUE_VALUE" : "FALSE_VALUE";
    case "array":
      return "START_ARRAY";
    default:
      return "START_OBJECT";
  }
}

// Wording of deserialization failures. UNVERIFIED against the live service: these follow the texts
// Coral's JSON reader is known to produce for other AWS JSON services (a structure where a scalar is
// expected -> "Start of structure or map found where not expected", and so on).
function typeError(expected: "object" | "list" | "String" | "Integer" | "Float" | "Boolean" | "Blob", v: unknown): never {
  const k = jsonKind(v);
  if (k === "object") throw new SerializationFailure("Start of structure or map found where not expected");
  if (k === "array") throw new SerializationFailure("Start of list found where not expected");
  if (expected === "object") throw new SerializationFailure("Expected map or null");
  if (expected === "list") throw new SerializationFailure("Expected list or null");
  const article = expected === "Integer" ? "an" : "a";
  throw new SerializationFailure(`${token(v)} can not be converted to ${article} ${expected}`);
}

/** Java-like rendering of a value inside a Coral message. */
function renderValue(v: unknown, shape?: Shape): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (shape?.kind === "float" && Number.isInteger(v)) return `${v}.0`;
    return String(v);
  }
  if (typeof v === "string") {
    if (shape?.kind === "blob") {
      const n = Buffer.from(v, "base64").length;
      return `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
    }
    return v;
  }
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((e) => renderValue(e, shape?.kind === "list" ? shape.member : undefined)).join(", ")}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  const valueShape = shape?.kind === "map" ? shape.value : undefined;
  return `{${entries.map(([k, e]) => `${k}=${renderValue(e, valueShape)}`).join(", ")}}`;
}

function violation(ctx: Ctx, where: Where, shownValue: unknown, shape: Shape, constraint: string): void {
  const shown = shownValue === null ? "Value null" : where.sensitive ? "Value" : `Value '${renderValue(shownValue, shape)}'`;
  ctx.violations.push(`${shown} at '${where.coral}' failed to satisfy constraint: ${constraint}`);
}

// Compiled once per pattern (the shapes' patterns are a fixed set), not once per checked value.
const compiledPatterns = new Map<string, RegExp>();
function matchesPattern(pattern: string, v: string): boolean {
  let re = compiledPatterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, "u");
    compiledPatterns.set(pattern, re);
  }
  return re.test(v);
}

/** Constraint texts for a scalar value (strings, numbers, blobs); no path, for reuse in aggregates. */
function scalarConstraints(shape: Shape, v: unknown): string[] {
  const out: string[] = [];
  if (shape.kind === "string" && typeof v === "string") {
    if (shape.min !== undefined && v.length < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && v.length > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
    if (shape.pattern !== undefined && !matchesPattern(shape.pattern, v))
      out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.enum !== undefined && !shape.enum.includes(v)) out.push(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
  } else if ((shape.kind === "integer" || shape.kind === "float") && typeof v === "number") {
    if (shape.min !== undefined && v < shape.min) out.push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && v > shape.max) out.push(`Member must have value less than or equal to ${shape.max}`);
  } else if (shape.kind === "blob" && typeof v === "string") {
    const n = Buffer.from(v, "base64").length;
    if (shape.min !== undefined && n < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && n > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
  }
  return out;
}

const isScalarShape = (s: Shape): boolean =>
  s.kind === "string" || s.kind === "integer" || s.kind === "float" || s.kind === "blob" || s.kind === "boolean";

// A linear check (no backtracking groups: blobs can be tens of megabytes).
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (s: string): boolean => s.length % 4 === 0 && BASE64_CHARS.test(s);

// A structure's or union's members as [name, shape] pairs, listed once per shape rather than on
// every request (shapes are built at load time and never change).
const memberLists = new WeakMap<Record<string, Shape>, [string, Shape][]>();
function memberList(members: Record<string, Shape>): [string, Shape][] {
  let list = memberLists.get(members);
  if (!list) {
    list = Object.entries(members);
    memberLists.set(members, list);
  }
  return list;
}

function walk(shape: Shape, v: unknown, where: Where, ctx: Ctx): unknown {
  const here: Where = { ...where, sensitive: where.sensitive || shape.sensitive === true };
  switch (shape.kind) {
    case "document":
      return v;
    case "string":
      if (typeof v !== "string") typeError("String", v);
      for (const c of scalarConstraints(shape, v)) violation(ctx, here, v, shape, c);
      return v;
    case "boolean":
      if (typeof v !== "boolean") typeError("Boolean", v);
      return v;
    case "integer":
      if (typeof v !== "number") typeError("Integer", v);
      // UNVERIFIED: a fractional number where an integer is expected is rejected while deserializing.
      if (!Number.isInteger(v)) throw new SerializationFailure("NUMBER_VALUE can not be converted to an Integer");
      for (const c of scalarConstraints(shape, v)) violation(ctx, here, v, shape, c);
      return v;
    case "float":
      if (typeof v !== "number") typeError("Float", v);
      for (const c of scalarConstraints(shape, v)) violation(ctx, here, v, shape, c);
      return v;
    case "blob":
      if (typeof v !== "string") typeError("Blob", v);
      // UNVERIFIED wording: Coral rejects a blob that is not valid base64 while deserializing.
      if (!isBase64(v)) throw new SerializationFailure("Invalid Base64 value");
      for (const c of scalarConstraints(shape, v)) violation(ctx, here, v, shape, c);
      return v;
    case "list": {
      if (!Array.isArray(v)) typeError("list", v);
      const out: unknown[] = [];
      const memberIssues: string[] = [];
      v.forEach((e, i) => {
        if (e === null) return; // Coral drops nulls inside lists of non-sparse shapes
        const child: Where = { coral: `${here.coral}.${i + 1}.member`, plain: `${here.plain}.${i}`, sensitive: here.sensitive };
        if (isScalarShape(shape.member)) {
          // Element constraints of a list of scalars are reported once, on the list itself.
          out.push(walkScalarQuiet(shape.member, e));
          for (const c of scalarConstraints(shape.member, e)) if (!memberIssues.includes(c)) memberIssues.push(c);
        } else {
          out.push(walk(shape.member, e, child, ctx));
        }
      });
      if (shape.min !== undefined && v.length < shape.min)
        violation(ctx, here, v, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && v.length > shape.max)
        violation(ctx, here, v, shape, `Member must have length less than or equal to ${shape.max}`);
      if (memberIssues.length) violation(ctx, here, v, shape, `Member must satisfy constraint: [${memberIssues.join(", ")}]`);
      return out;
    }
    case "map": {
      if (typeof v !== "object" || Array.isArray(v)) typeError("object", v);
      const out: Record<string, unknown> = {};
      const keyIssues: string[] = [];
      const valueIssues: string[] = [];
      const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== null);
      for (const [k, e] of entries) {
        for (const c of scalarConstraints(shape.key, k)) if (!keyIssues.includes(c)) keyIssues.push(c);
        if (isScalarShape(shape.value)) {
          out[k] = walkScalarQuiet(shape.value, e);
          for (const c of scalarConstraints(shape.value, e)) if (!valueIssues.includes(c)) valueIssues.push(c);
        } else {
          out[k] = walk(shape.value, e, { coral: `${here.coral}.${k}`, plain: `${here.plain}.${k}`, sensitive: here.sensitive }, ctx);
        }
      }
      const shown = Object.fromEntries(entries);
      if (shape.min !== undefined && entries.length < shape.min)
        violation(ctx, here, shown, shape, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max)
        violation(ctx, here, shown, shape, `Member must have length less than or equal to ${shape.max}`);
      if (keyIssues.length) violation(ctx, here, shown, shape, `Map keys must satisfy constraint: [${keyIssues.join(", ")}]`);
      if (valueIssues.length) violation(ctx, here, shown, shape, `Map value must satisfy constraint: [${valueIssues.join(", ")}]`);
      return out;
    }
    case "structure":
    case "union": {
      if (typeof v !== "object" || Array.isArray(v)) typeError("object", v);
      const obj = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const set: string[] = [];
      for (const [name, memberShape] of memberList(shape.members)) {
        const mv = obj[name];
        if (mv === undefined || mv === null) {
          if (shape.kind === "structure" && shape.required?.includes(name))
            ctx.violations.push(`Value null at '${join(here.coral, name)}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        set.push(name);
        out[name] = walk(memberShape, mv, { coral: join(here.coral, name), plain: join(here.plain, name), sensitive: here.sensitive }, ctx);
      }
      if (shape.kind === "union" && set.length !== 1 && ctx.unionError === undefined) {
        const keys = Object.keys(shape.members).join(", ");
        // "must set one of the following keys" is Bedrock's text [reported for DocumentSource]; the
        // wording for two or more members is UNVERIFIED and mirrors it.
        ctx.unionError =
          set.length === 0
            ? `${shape.name} object at ${here.plain} must set one of the following keys: ${keys}.`
            : `${shape.name} object at ${here.plain} must set only one of the following keys: ${keys}.`;
      }
      return out;
    }
  }
}

/** Type check of a scalar inside an aggregate (its constraints are reported by the aggregate). */
function walkScalarQuiet(shape: Shape, v: unknown): unknown {
  const ctx: Ctx = { violations: [] };
  return walk(shape, v, { coral: "", plain: "", sensitive: false }, ctx);
}
