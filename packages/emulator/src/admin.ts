// /_emulator/* endpoints: the HTTP twins of the programmatic API (script, faults, request log,
// inference profiles, reset). Pure request -> JSON answer; the server does the I/O.
import type { InferenceProfileConfig, InferenceProfileStore } from "./control-plane.js";
import { parseFaultSpec, type FaultInjector } from "./faults.js";
import type { RequestLog } from "./request-log.js";
import { MAX_SCRIPT_REPLIES, parseScript, type ScriptQueue } from "./script.js";
import { checkGuardrailPolicyUpdate, type GuardrailPolicy } from "./model/index.js";
import type { AwsErrorSpec, JsonValue } from "./types.js";
import { awsError } from "./wire/errors.js";

export interface AdminTarget {
  script: ScriptQueue;
  faults: FaultInjector;
  log: RequestLog;
  profiles: InferenceProfileStore;
  guardrails: { get(): GuardrailPolicy; set(update: Partial<GuardrailPolicy>): void; reset(): void };
  /** Clears script, faults, log and prompt cache; restores start-up profiles and the default guardrail policy. */
  reset(): void;
}

export type AdminResult = { status: number; body: unknown } | { error: AwsErrorSpec };

const invalid = (message: string): AdminResult => ({ error: awsError("ValidationException", message) });

/** Handles one admin request; `body` is the parsed JSON body ({} when empty). */
export function handleAdmin(target: AdminTarget, method: string, path: string, body: unknown): AdminResult {
  const p = path.replace(/\/+$/, "");
  const key = `${method} ${p}`;
  switch (key) {
    case "GET /_emulator/health":
      return { status: 200, body: { status: "ok" } };
    case "GET /_emulator/requests":
      return { status: 200, body: { requests: target.log.list() } };
    case "DELETE /_emulator/requests":
      target.log.clear();
      return { status: 200, body: { cleared: true } };
    case "GET /_emulator/script":
      return { status: 200, body: { replies: target.script.list() } };
    case "POST /_emulator/script":
    case "PUT /_emulator/script":
    case "POST /_emulator/script/append": {
      const parsed = parseScript(body);
      if (!parsed.ok) return invalid(parsed.message);
      if (p.endsWith("/append") && target.script.list().length + parsed.replies.length > MAX_SCRIPT_REPLIES) {
        return invalid(`A script may queue at most ${MAX_SCRIPT_REPLIES} replies; ${target.script.list().length} are queued already.`);
      }
      if (p.endsWith("/append")) target.script.push(parsed.replies);
      else target.script.set(parsed.replies);
      return { status: 200, body: { queued: target.script.list().length } };
    }
    case "DELETE /_emulator/script":
      target.script.clear();
      return { status: 200, body: { queued: 0 } };
    case "GET /_emulator/faults":
      return { status: 200, body: { faults: target.faults.list() } };
    case "POST /_emulator/faults": {
      const specs = Array.isArray(body) ? body : [body];
      const checked = [];
      for (const spec of specs) {
        const parsed = parseFaultSpec(spec);
        if (!parsed.ok) return invalid(parsed.message);
        checked.push(parsed.spec);
      }
      return { status: 200, body: { faults: checked.map((spec) => target.faults.add(spec)) } };
    }
    case "DELETE /_emulator/faults":
      target.faults.clear();
      return { status: 200, body: { faults: [] } };
    case "GET /_emulator/inference-profiles":
      return { status: 200, body: { inferenceProfiles: target.profiles.list() } };
    case "POST /_emulator/inference-profiles":
      return addProfiles(target, body);
    case "GET /_emulator/guardrail-policy":
      return { status: 200, body: target.guardrails.get() };
    case "POST /_emulator/guardrail-policy": {
      const problem = checkGuardrailPolicyUpdate(body);
      if (problem) return invalid(problem);
      target.guardrails.set(body as Partial<GuardrailPolicy>);
      return { status: 200, body: target.guardrails.get() };
    }
    case "DELETE /_emulator/guardrail-policy":
      target.guardrails.reset();
      return { status: 200, body: target.guardrails.get() };
    case "POST /_emulator/reset":
      target.reset();
      return { status: 200, body: { reset: true } };
  }
  const faultId = /^\/_emulator\/faults\/([^/]+)$/.exec(p);
  if (faultId && method === "DELETE") {
    let id: string;
    try {
      id = decodeURIComponent(faultId[1]);
    } catch {
      return invalid(`The fault id in the path is not valid percent-encoding: ${JSON.stringify(faultId[1].slice(0, 200))}.`);
    }
    return target.faults.remove(id)
      ? { status: 200, body: { removed: id } }
      : { error: awsError("ResourceNotFoundException", `No fault with id ${JSON.stringify(id.slice(0, 200))}.`) };
  }
  return { error: awsError("UnknownOperationException", `No emulator admin endpoint ${method} ${p}.`) };
}

/**
 * Accepts one profile `{"inferenceProfileArn"|"inferenceProfileId"|"id": ..., "modelId": ...}`
 * or a map `{"<arn or id>": {"modelId": ...}}`.
 */
function addProfiles(target: AdminTarget, body: unknown): AdminResult {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return invalid("Send a JSON object describing the inference profile.");
  const b = body as Record<string, JsonValue>;
  const entries: [string, InferenceProfileConfig][] = [];
  if (typeof b.modelId === "string") {
    const key = b.inferenceProfileArn ?? b.inferenceProfileId ?? b.id ?? b.arn;
    if (typeof key !== "string") return invalid("An inference profile needs inferenceProfileArn or inferenceProfileId.");
    entries.push([key, b as unknown as InferenceProfileConfig]);
  } else {
    for (const [key, config] of Object.entries(b)) entries.push([key, config as unknown as InferenceProfileConfig]);
  }
  if (entries.length === 0) return invalid("No inference profile given.");
  try {
    return { status: 200, body: { inferenceProfiles: entries.map(([key, config]) => target.profiles.add(key, config)) } };
  } catch (err) {
    return invalid(err instanceof Error ? err.message : String(err));
  }
}
