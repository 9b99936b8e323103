// The CLI flags for record/replay, kept here so cli.ts only spreads them in.
import type { CassetteOptions } from "./index.js";

export const CASSETTE_USAGE = `
Record and replay:
  --record FILE       forward every request to --upstream, record each interaction to FILE
  --replay FILE       answer from FILE with no network; an unmatched request gets a 400
  --record-missing    with --replay/--record: replay hits, forward and record misses
  --upstream U        "aws" (default: the real service in the request's region) or a base URL
  --region R          region when a request's signature names none (else AWS_REGION)
  --replay-timing     replay with the recorded pauses between stream frames
  --match-ignore P,Q  body fields left out of matching (default requestMetadata)
`;

export const CASSETTE_CLI_OPTIONS = {
  record: { type: "string" },
  replay: { type: "string" },
  "record-missing": { type: "boolean", default: false },
  upstream: { type: "string" },
  region: { type: "string" },
  "replay-timing": { type: "boolean", default: false },
  "match-ignore": { type: "string" },
} as const;

interface CassetteArgs {
  record?: string;
  replay?: string;
  "record-missing"?: boolean;
  upstream?: string;
  region?: string;
  "replay-timing"?: boolean;
  "match-ignore"?: string;
}

/** The library options for the parsed flags, or a message saying what is wrong. */
export function cassetteOptionsFromArgs(values: CassetteArgs): CassetteOptions | string {
  if (values.record && values.replay)
    return "--record and --replay are exclusive (use --replay FILE --record-missing to replay hits and record misses)";
  if (!values.record && !values.replay) {
    if (values["record-missing"] || values["replay-timing"] || values.upstream)
      return "--record-missing, --replay-timing and --upstream need --record FILE or --replay FILE";
    return {};
  }
  const out: CassetteOptions = {};
  if (values.record) out.record = values.record;
  if (values.replay) out.replay = values.replay;
  if (values["record-missing"]) out.recordMissing = true;
  if (values["replay-timing"]) out.replayTiming = true;
  if (values.upstream) out.upstream = values.upstream;
  if (values.region) out.region = values.region;
  if (values["match-ignore"] !== undefined)
    out.matchIgnore = values["match-ignore"]
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
  return out;
}
