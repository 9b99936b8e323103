// useCassette(name): one emulator per test file that records once (with credentials) and replays
// in CI. It needs nothing from a test runner but a before/after hook pair, so node:test
// ({ before, after }), vitest and jest ({ before: beforeAll, after: afterAll }) all work, or call
// start()/stop() yourself.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../server.js";

export type CassetteMode = "once" | "replay" | "record" | "record-missing";

export interface UseCassetteOptions extends Omit<EmulatorOptions, "record" | "replay" | "recordMissing"> {
  /** Where cassettes live (default BEDROCK_CASSETTE_DIR, else "cassettes" under the working directory). */
  dir?: string;
  /**
   * "once" (default, or BEDROCK_CASSETTE_MODE): replay when the cassette exists, else record it;
   * under CI (the CI variable set) a missing cassette is an error instead of a live call.
   * "replay": never touch the network. "record": always record anew. "record-missing": both.
   */
  mode?: CassetteMode;
  /** Register start/stop with the runner: node:test { before, after }; vitest/jest { before: beforeAll, after: afterAll }. */
  hooks?: { before: (fn: () => Promise<unknown>) => unknown; after: (fn: () => Promise<unknown>) => unknown };
  /** Point AWS_ENDPOINT_URL_BEDROCK_RUNTIME at the emulator while it runs (default true). */
  setEndpointEnv?: boolean;
}

export interface CassetteSession {
  /** The cassette file. */
  readonly path: string;
  /** The mode actually used ("once" resolved to replay or record). */
  readonly mode: Exclude<CassetteMode, "once">;
  /** The emulator's URL; throws before start(). */
  readonly url: string;
  readonly emulator: Emulator;
  start(): Promise<Emulator>;
  stop(): Promise<void>;
}

// CI=false and CI=0 are how people switch it off; anything else non-empty means CI.
function ciIsSet(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

const MODES: CassetteMode[] = ["once", "replay", "record", "record-missing"];

export function useCassette(name: string, options: UseCassetteOptions = {}): CassetteSession {
  const { dir, mode: given, hooks, setEndpointEnv = true, ...emulatorOptions } = options;
  const base = dir ?? process.env.BEDROCK_CASSETTE_DIR ?? "cassettes";
  const file = name.endsWith(".json") ? name : `${name}.json`;
  const path = resolve(isAbsolute(file) ? file : join(base, file));
  const requested = given ?? (process.env.BEDROCK_CASSETTE_MODE as CassetteMode | undefined) ?? "once";
  if (!MODES.includes(requested)) throw new TypeError(`cassette mode must be one of ${MODES.join(", ")}; got ${JSON.stringify(requested)}`);
  let mode: Exclude<CassetteMode, "once">;
  if (requested !== "once") mode = requested;
  else if (existsSync(path)) mode = "replay";
  else if (ciIsSet())
    throw new TypeError(`cassette ${path} does not exist and CI is set: record it locally (BEDROCK_CASSETTE_MODE=record) and commit it`);
  else mode = "record";

  let emulator: Emulator | undefined;
  let previousEnv: string | undefined;
  const session: CassetteSession = {
    path,
    mode,
    get url() {
      if (!emulator) throw new Error(`useCassette(${JSON.stringify(name)}): not started; call start() or pass hooks`);
      return emulator.url;
    },
    get emulator() {
      if (!emulator) throw new Error(`useCassette(${JSON.stringify(name)}): not started; call start() or pass hooks`);
      return emulator;
    },
    async start() {
      if (emulator) return emulator;
      const cassette = mode === "replay" ? { replay: path } : mode === "record" ? { record: path } : { replay: path, recordMissing: true };
      emulator = await startEmulator({ ...emulatorOptions, ...cassette });
      if (setEndpointEnv) {
        previousEnv = process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
        process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = emulator.url;
      }
      return emulator;
    },
    async stop() {
      if (!emulator) return;
      const running = emulator;
      emulator = undefined;
      if (setEndpointEnv) {
        if (previousEnv === undefined) delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
        else process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = previousEnv;
      }
      await running.close();
    },
  };
  if (hooks) {
    hooks.before(() => session.start());
    hooks.after(() => session.stop());
  }
  return session;
}
