// Account ids inside ARNs (application inference profiles, guardrails, imported models) are
// replaced by a placeholder before anything is written to a cassette or compared, so a cassette
// recorded in one account replays in any other and never publishes the recorder's account id.
import type { JsonValue } from "../types.js";

export const ACCOUNT_PLACEHOLDER = "{account}";

// arn:partition:service:region:ACCOUNT:resource; only a 12-digit account is replaced.
const ARN_ACCOUNT = /(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:)(\d{12})(?=:)/g;

/** `text` with every ARN account id replaced by the placeholder. */
export function scrubAccountIds(text: string): string {
  return text.includes("arn:") ? text.replace(ARN_ACCOUNT, `$1${ACCOUNT_PLACEHOLDER}`) : text;
}

/** The first ARN account id in `text`, if any (replay puts it back into recorded answers). */
export function findAccountId(text: string): string | undefined {
  ARN_ACCOUNT.lastIndex = 0;
  const match = ARN_ACCOUNT.exec(text);
  ARN_ACCOUNT.lastIndex = 0;
  return match?.[2];
}

/** A deep copy of `value` with account ids in every string (keys too) replaced. */
export function scrubJson(value: JsonValue): JsonValue {
  if (typeof value === "string") return scrubAccountIds(value);
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) out[scrubAccountIds(key)] = scrubJson(item);
    return out;
  }
  return value;
}

/** The inverse for one answer: the placeholder becomes `accountId` (the requester's). */
export function restoreAccountId(text: string, accountId: string | undefined): string {
  return accountId && text.includes(ACCOUNT_PLACEHOLDER) ? text.split(ACCOUNT_PLACEHOLDER).join(accountId) : text;
}
