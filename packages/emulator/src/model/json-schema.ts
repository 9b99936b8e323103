// JSON Schema, both ways: `valueFromSchema` builds a value that satisfies a schema (tool inputs,
// structured output), filling it from the prompt where the field names allow; `schemaErrors`
// checks a value against a schema (used to pick among candidates, and by the tests).
//
// Supported: type (also lists), enum, const, properties/required/additionalProperties,
// minProperties, items/prefixItems (and tuple `items`), minItems/maxItems/uniqueItems,
// minLength/maxLength/pattern/format, minimum/maximum/exclusiveMinimum/exclusiveMaximum/multipleOf,
// anyOf/oneOf/allOf/not, nullable, $ref into $defs/definitions (any "#/..." pointer).
import type { JsonObject, JsonValue } from "../types.js";
import { isObject } from "./conversation.js";
import { expandPlace, fieldNumber, fieldText, isLocationField, isSubjectField } from "./field-text.js";
import { normalizeLabel, type PromptFacts } from "./prompt-facts.js";

export interface GenerationContext {
  facts: PromptFacts;
  /** The subject this value is about (one tool call per subject). */
  subject?: string;
  /** Next unused number of facts.numbers. */
  numberCursor?: { next: number };
}

const MAX_DEPTH = 8;

/** Follow "$ref": "#/..." pointers from the root schema. Unknown refs resolve to {}. */
export function deref(schema: JsonValue | undefined, root: JsonValue): JsonValue {
  let s = schema;
  for (let hops = 0; hops < 32 && isObject(s) && typeof s.$ref === "string"; hops++) {
    const target = resolvePointer(root, s.$ref);
    const { $ref: _ref, ...rest } = s;
    s = isObject(target) ? (Object.keys(rest).length ? { ...target, ...rest } : target) : {};
  }
  return s ?? {};
}

function resolvePointer(root: JsonValue, ref: string): JsonValue | undefined {
  if (!ref.startsWith("#")) return undefined;
  const parts = ref
    .slice(1)
    .split("/")
    .filter((p, i) => i > 0 || p !== "");
  let cur: JsonValue | undefined = root;
  for (const raw of parts) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

function typesOf(s: JsonObject): string[] {
  if (typeof s.type === "string") return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string");
  return [];
}

function inferType(s: JsonObject): string {
  const declared = typesOf(s);
  const nonNull = declared.find((t) => t !== "null");
  if (nonNull) return nonNull;
  if (declared.length) return "null";
  if (isObject(s.properties) || Array.isArray(s.required) || s.additionalProperties !== undefined) return "object";
  if (s.items !== undefined || s.prefixItems !== undefined) return "array";
  if (typeof s.minimum === "number" || typeof s.maximum === "number" || typeof s.multipleOf === "number") return "number";
  return "string";
}

function mergeAllOf(s: JsonObject, root: JsonValue): JsonObject {
  const { allOf, ...rest } = s;
  let merged: JsonObject = { ...rest };
  for (const part of Array.isArray(allOf) ? allOf : []) {
    const p = deref(part, root);
    if (!isObject(p)) continue;
    const props = { ...(isObject(merged.properties) ? merged.properties : {}), ...(isObject(p.properties) ? p.properties : {}) };
    const required = [...(Array.isArray(merged.required) ? merged.required : []), ...(Array.isArray(p.required) ? p.required : [])];
    merged = { ...p, ...merged, properties: props, required: [...new Set(required)] };
    if (!Object.keys(props).length) delete merged.properties;
    if (!required.length) delete merged.required;
  }
  return merged;
}

/** Build a value valid against `schema`. `name` is the property name the value is for. */
export function valueFromSchema(schema: JsonValue, ctx: GenerationContext, root: JsonValue = schema): JsonValue {
  const cursor = ctx.numberCursor ?? { next: 0 };
  return generate(schema, { ...ctx, numberCursor: cursor }, root, undefined, 0, 0);
}

type Ctx = GenerationContext & { numberCursor: { next: number } };

function generate(
  schema: JsonValue | undefined,
  ctx: Ctx,
  root: JsonValue,
  name: string | undefined,
  depth: number,
  variant: number,
): JsonValue {
  let s = deref(schema, root);
  if (s === true || !isObject(s)) return s === false ? null : fieldText(name, ctx.facts, ctx.subject);
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, root);
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return pickEnum(s.enum, ctx, variant);
  const branches = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (branches) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    const ordered = [...branches].sort((a, b) => Number(isNullSchema(a, root)) - Number(isNullSchema(b, root)));
    let first: JsonValue | undefined;
    for (const branch of ordered) {
      const b = deref(branch, root);
      const candidate = generate(isObject(b) ? { ...rest, ...b } : b, ctx, root, name, depth, variant);
      first ??= candidate;
      if (schemaErrors(s, candidate, root).length === 0) return candidate;
    }
    return first ?? null;
  }
  switch (inferType(s)) {
    case "object":
      return generateObject(s, ctx, root, name, depth);
    case "array":
      return generateArray(s, ctx, root, name, depth);
    case "integer":
      return generateNumber(s, ctx, name, true, variant);
    case "number":
      return generateNumber(s, ctx, name, false, variant);
    case "boolean":
      return generateBoolean(ctx, name, variant);
    case "null":
      return null;
    default:
      return generateString(s, ctx, name, variant);
  }
}

function isNullSchema(schema: JsonValue, root: JsonValue): boolean {
  const s = deref(schema, root);
  return isObject(s) && typesOf(s).length === 1 && typesOf(s)[0] === "null";
}

function pickEnum(values: JsonValue[], ctx: Ctx, variant: number): JsonValue {
  if (variant > 0) return values[variant % values.length];
  const text = ctx.facts.text.toLowerCase();
  for (const v of values) {
    if (
      typeof v === "string" &&
      v.length > 1 &&
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(v.toLowerCase())}(?![\\p{L}\\p{N}])`, "u").test(text)
    )
      return v;
  }
  return values[0];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function labeled(ctx: Ctx, name: string | undefined): string | undefined {
  if (!name) return undefined;
  return ctx.facts.labels.get(normalizeLabel(name));
}

function generateObject(s: JsonObject, ctx: Ctx, root: JsonValue, name: string | undefined, depth: number): JsonValue {
  const props = isObject(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string") : [];
  const fromLabel = labeled(ctx, name);
  if (fromLabel && !Object.keys(props).length) {
    try {
      const parsed = JSON.parse(fromLabel) as JsonValue;
      if (isObject(parsed) && schemaErrors(s, parsed, root).length === 0) return parsed;
    } catch {
      // not JSON: build the object below
    }
  }
  const out: JsonObject = {};
  for (const key of Object.keys(props)) {
    if (depth >= MAX_DEPTH && !required.includes(key)) continue;
    setMember(out, key, generate(props[key], ctx, root, key, depth + 1, 0));
  }
  const extraSchema = isObject(s.additionalProperties) ? s.additionalProperties : {};
  for (const key of required) if (!Object.hasOwn(out, key)) setMember(out, key, generate(extraSchema, ctx, root, key, depth + 1, 0));
  const minProps = typeof s.minProperties === "number" ? s.minProperties : 0;
  for (let i = 1; Object.keys(out).length < minProps && s.additionalProperties !== false && i < 1000; i++) {
    if (!Object.hasOwn(out, `key${i}`)) setMember(out, `key${i}`, generate(extraSchema, ctx, root, `key${i}`, depth + 1, 0));
  }
  return out;
}

/**
 * An own, enumerable member whatever its name: plain assignment of "__proto__" would set the
 * prototype instead, and `in` sees inherited names such as "constructor" as present.
 */
function setMember(out: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function singular(name: string | undefined): string | undefined {
  if (!name) return name;
  if (/ies$/i.test(name)) return name.replace(/ies$/i, "y");
  if (/(ss|us)$/i.test(name)) return name;
  return name.replace(/s$/i, "");
}

function generateArray(s: JsonObject, ctx: Ctx, root: JsonValue, name: string | undefined, depth: number): JsonValue {
  const min = typeof s.minItems === "number" ? s.minItems : 0;
  const max = typeof s.maxItems === "number" ? s.maxItems : Infinity;
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const rest = Array.isArray(s.items) ? (isObject(s.additionalItems) ? s.additionalItems : {}) : (s.items ?? {});
  const itemName = singular(name);
  const restSchema = deref(rest, root);
  let count = Math.min(Math.max(min, prefix.length, depth >= MAX_DEPTH ? 0 : 1), max);
  // A list of places or names: one item per subject of the prompt.
  const subjects = ctx.facts.subjects;
  const subjectList =
    !prefix.length &&
    isObject(restSchema) &&
    inferType(restSchema) === "string" &&
    !Array.isArray(restSchema.enum) &&
    isSubjectField(name) &&
    subjects.length > 0;
  if (subjectList) count = Math.min(Math.max(min, subjects.length), max);
  const unique = s.uniqueItems === true;
  const out: JsonValue[] = [];
  for (let i = 0; i < count; i++) {
    const itemSchema = i < prefix.length ? prefix[i] : rest;
    if (subjectList && i < subjects.length) {
      const subject = isLocationField(name) ? expandPlace(subjects[i]) : subjects[i];
      out.push(generate(itemSchema, { ...ctx, subject }, root, itemName, depth + 1, 0));
    } else {
      out.push(generate(itemSchema, ctx, root, itemName, depth + 1, unique || subjectList ? i : 0));
    }
  }
  return out;
}

function generateString(s: JsonObject, ctx: Ctx, name: string | undefined, variant: number): string {
  const facts = ctx.facts;
  const candidates: string[] = [];
  const fromLabel = labeled(ctx, name);
  if (fromLabel !== undefined) candidates.push(fromLabel);
  const format = typeof s.format === "string" ? s.format : undefined;
  const formatValue = format ? stringForFormat(format, facts) : undefined;
  if (formatValue !== undefined) candidates.push(formatValue);
  if (isSubjectField(name)) {
    const subject = ctx.subject ?? facts.subjects[0];
    if (subject) candidates.push(isLocationField(name) ? expandPlace(subject) : subject);
  }
  candidates.push(fieldText(name, facts, ctx.subject));
  const pattern = typeof s.pattern === "string" ? safeRegex(s.pattern) : undefined;
  if (pattern) {
    const sample = sampleFromPattern(s.pattern as string);
    if (sample !== undefined) candidates.push(sample);
  }
  const withVariant = (v: string) => (variant > 0 ? `${v} ${variant + 1}` : v);
  const fit = (v: string): string => {
    let out = v;
    const minLength = typeof s.minLength === "number" ? s.minLength : 0;
    const maxLength = typeof s.maxLength === "number" ? s.maxLength : Infinity;
    while (Array.from(out).length < minLength) out += out.length ? "." : "x";
    if (Array.from(out).length > maxLength) out = Array.from(out).slice(0, maxLength).join("");
    return out;
  };
  for (const c of candidates) {
    const v = fit(withVariant(c));
    if (schemaErrors(s, v, s).length === 0) return v;
  }
  for (const c of candidates) {
    const v = fit(c);
    if (schemaErrors(s, v, s).length === 0) return v;
  }
  return fit(withVariant(candidates[0]));
}

function stringForFormat(format: string, facts: PromptFacts): string | undefined {
  switch (format) {
    case "date":
      return facts.dates[0] ?? "2024-01-01";
    case "date-time":
      return `${facts.dates[0] ?? "2024-01-01"}T12:00:00Z`;
    case "time":
      return "12:00:00Z";
    case "email":
    case "idn-email":
      return facts.emails[0] ?? "user@example.com";
    case "uri":
    case "url":
    case "iri":
    case "uri-reference":
    case "iri-reference":
      return facts.urls[0] ?? "https://example.com";
    case "uuid":
      return "123e4567-e89b-42d3-a456-426614174000";
    case "ipv4":
      return "192.0.2.1";
    case "ipv6":
      return "2001:db8::1";
    case "hostname":
    case "idn-hostname":
      return "example.com";
    case "duration":
      return "PT1H";
    default:
      return undefined;
  }
}

function generateNumber(s: JsonObject, ctx: Ctx, name: string | undefined, integer: boolean, variant: number): number {
  let v: number | undefined;
  const fromLabel = labeled(ctx, name);
  if (fromLabel !== undefined && Number.isFinite(Number(fromLabel)) && fromLabel.trim() !== "") v = Number(fromLabel);
  if (v === undefined && ctx.numberCursor.next < ctx.facts.numbers.length) v = ctx.facts.numbers[ctx.numberCursor.next++];
  v ??= fieldNumber(name);
  v += variant;
  if (integer) v = Math.round(v);
  let lo = -Infinity;
  let hi = Infinity;
  const step = integer ? 1 : 0;
  if (typeof s.minimum === "number") lo = s.exclusiveMinimum === true ? s.minimum + (step || 0.5) : s.minimum;
  if (typeof s.exclusiveMinimum === "number") lo = Math.max(lo, s.exclusiveMinimum + (step || 0.5));
  if (typeof s.maximum === "number") hi = s.exclusiveMaximum === true ? s.maximum - (step || 0.5) : s.maximum;
  if (typeof s.exclusiveMaximum === "number") hi = Math.min(hi, s.exclusiveMaximum - (step || 0.5));
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
    const m = s.multipleOf;
    let k = Math.round(v / m);
    if (k * m < lo) k = Math.ceil(lo / m);
    if (k * m > hi) k = Math.floor(hi / m);
    v = Number((k * m).toPrecision(12));
  }
  return v;
}

function generateBoolean(ctx: Ctx, name: string | undefined, variant: number): boolean {
  const fromLabel = labeled(ctx, name)?.toLowerCase();
  if (fromLabel && ["true", "yes", "on", "1"].includes(fromLabel)) return variant % 2 === 0;
  if (fromLabel && ["false", "no", "off", "0"].includes(fromLabel)) return variant % 2 !== 0;
  return variant % 2 === 0;
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/**
 * A string matching a simple regular expression: literals, escapes (\d \w \s \.), classes
 * ([a-z0-9]), groups with alternation (first branch), quantifiers (? * + {n} {n,m}: the minimum,
 * at least 1 for +), anchors. Returns undefined for what it does not understand.
 */
export function sampleFromPattern(pattern: string): string | undefined {
  let i = 0;
  const src = pattern;
  function parseAlternation(): string | undefined {
    const first = parseSequence();
    while (src[i] === "|") {
      i++;
      if (parseSequence() === undefined) return undefined;
    }
    return first;
  }
  function parseSequence(): string | undefined {
    let out = "";
    while (i < src.length && src[i] !== "|" && src[i] !== ")") {
      const atom = parseAtom();
      if (atom === undefined) return undefined;
      const [lo] = parseQuantifier();
      out += atom.repeat(lo);
    }
    return out;
  }
  function parseQuantifier(): [number] {
    const c = src[i];
    let lo = 1;
    if (c === "?" || c === "*") {
      lo = 0;
      i++;
    } else if (c === "+") {
      lo = 1;
      i++;
    } else if (c === "{") {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        lo = Number(m[1]);
        i += m[0].length;
      }
    }
    if (src[i] === "?" || src[i] === "+") i++; // lazy / possessive
    return [lo];
  }
  function escapeChar(c: string): string {
    switch (c) {
      case "d":
        return "0";
      case "w":
        return "a";
      case "s":
        return " ";
      case "D":
      case "W":
      case "S":
        return "-";
      case "n":
        return "\n";
      case "t":
        return "\t";
      default:
        return c;
    }
  }
  function parseAtom(): string | undefined {
    const c = src[i];
    if (c === "^" || c === "$") {
      i++;
      return "";
    }
    if (c === "(") {
      i++;
      if (src.startsWith("?:", i)) i += 2;
      else if (src[i] === "?") return undefined;
      const inner = parseAlternation();
      if (src[i] !== ")") return undefined;
      i++;
      return inner;
    }
    if (c === "[") {
      i++;
      const negated = src[i] === "^";
      if (negated) i++;
      const members: string[] = [];
      while (i < src.length && src[i] !== "]") {
        if (src[i] === "\\") {
          members.push(escapeChar(src[i + 1]));
          i += 2;
        } else {
          members.push(src[i]);
          i++;
        }
      }
      if (src[i] !== "]") return undefined;
      i++;
      if (negated) {
        for (const cand of ["a", "0", "x", "-", "_"]) if (!members.includes(cand) && !inRanges(members, cand)) return cand;
        return undefined;
      }
      return members[0] ?? undefined;
    }
    if (c === "\\") {
      i += 2;
      return escapeChar(src[i - 1]);
    }
    if (c === ".") {
      i++;
      return "a";
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") return undefined;
    i++;
    return c;
  }
  function inRanges(members: string[], ch: string): boolean {
    for (let k = 0; k + 2 < members.length; k++) {
      if (members[k + 1] === "-" && members[k] <= ch && ch <= members[k + 2]) return true;
    }
    return false;
  }
  const out = parseAlternation();
  if (i !== src.length || out === undefined) return undefined;
  const re = safeRegex(pattern);
  return re?.test(out) ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Checking

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^(\d{1,3})(\.\d{1,3}){3}$/,
};

function typeMatches(t: string, v: JsonValue): boolean {
  switch (t) {
    case "object":
      return isObject(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    default:
      return true;
  }
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => jsonEqual(x, b[k]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Problems with `value` against `schema` (empty when valid), each prefixed with its JSON path. */
export function schemaErrors(schema: JsonValue, value: JsonValue, root: JsonValue = schema, path = "$"): string[] {
  const s = deref(schema, root);
  if (s === true || (isObject(s) && Object.keys(s).length === 0)) return [];
  if (s === false) return [`${path}: no value is allowed`];
  if (!isObject(s)) return [];
  const errors: string[] = [];
  const types = typesOf(s);
  if (s.nullable === true && value === null) return [];
  if (types.length && !types.some((t) => typeMatches(t, value))) {
    return [`${path}: expected ${types.join(" or ")}, got ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`];
  }
  if ("const" in s && !jsonEqual(s.const, value)) errors.push(`${path}: must equal ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, value))) errors.push(`${path}: must be one of ${JSON.stringify(s.enum)}`);
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) errors.push(...schemaErrors(sub, value, root, path));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => schemaErrors(sub, value, root, path).length === 0)) {
    errors.push(`${path}: matches no anyOf branch`);
  }
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub) => schemaErrors(sub, value, root, path).length === 0).length;
    if (n !== 1) errors.push(`${path}: matches ${n} oneOf branches, expected exactly 1`);
  }
  if (s.not !== undefined && schemaErrors(s.not, value, root, path).length === 0) errors.push(`${path}: must not match "not"`);

  if (typeof value === "string") {
    const len = Array.from(value).length;
    if (typeof s.minLength === "number" && len < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === "number" && len > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === "string") {
      const re = safeRegex(s.pattern);
      if (re && !re.test(value)) errors.push(`${path}: does not match /${s.pattern}/`);
    }
    if (typeof s.format === "string" && FORMATS[s.format] && !FORMATS[s.format].test(value)) {
      errors.push(`${path}: not a valid ${s.format}`);
    }
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && (s.exclusiveMinimum === true ? value <= s.minimum : value < s.minimum))
      errors.push(`${path}: below minimum ${s.minimum}`);
    if (typeof s.maximum === "number" && (s.exclusiveMaximum === true ? value >= s.maximum : value > s.maximum))
      errors.push(`${path}: above maximum ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) errors.push(`${path}: not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) errors.push(`${path}: not below ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      const q = value / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) errors.push(`${path}: not a multiple of ${s.multipleOf}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.uniqueItems === true && value.some((v, k) => value.findIndex((w) => jsonEqual(v, w)) !== k))
      errors.push(`${path}: items not unique`);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
    value.forEach((item, k) => {
      const sub = k < prefix.length ? prefix[k] : rest;
      if (sub !== undefined) errors.push(...schemaErrors(sub, item, root, `${path}[${k}]`));
    });
  }
  if (isObject(value)) {
    const props = isObject(s.properties) ? s.properties : {};
    for (const r of Array.isArray(s.required) ? s.required : []) {
      if (typeof r === "string" && !Object.hasOwn(value, r)) errors.push(`${path}: missing required property "${r}"`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(props, k)) errors.push(...schemaErrors(props[k], v, root, `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property "${k}"`);
      else if (isObject(s.additionalProperties)) errors.push(...schemaErrors(s.additionalProperties, v, root, `${path}.${k}`));
    }
    const n = Object.keys(value).length;
    if (typeof s.minProperties === "number" && n < s.minProperties) errors.push(`${path}: fewer than ${s.minProperties} properties`);
    if (typeof s.maxProperties === "number" && n > s.maxProperties) errors.push(`${path}: more than ${s.maxProperties} properties`);
  }
  return errors;
}
