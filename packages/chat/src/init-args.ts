// Constructor args as Python's ChatBedrockConverse spells them, and the guard that keeps a mistyped
// credential from being treated as a model request field. People port Python code line by line:
// without this, `aws_secret_access_key` would be an unknown arg, moved into
// additionalModelRequestFields, sent to Bedrock and serialised with the model.
import { BedrockConfigError, redactSecrets } from "./errors.js";
import { isPlainObject } from "./convert/objects.js";
import type { ChatBedrockConverseInput } from "./options.js";

/**
 * Python's snake_case init arg → our camelCase arg, for every name that differs between the two
 * (fields, their aliases, and the inherited ones our base class has too).
 */
export const SNAKE_CASE_INIT_ARGS = {
  model_id: "modelId",
  base_model_id: "baseModelId",
  base_model: "baseModel",
  max_tokens: "maxTokens",
  stop_sequences: "stopSequences",
  top_p: "topP",
  region_name: "regionName",
  credentials_profile_name: "credentialsProfileName",
  aws_access_key_id: "awsAccessKeyId",
  aws_secret_access_key: "awsSecretAccessKey",
  aws_session_token: "awsSessionToken",
  bedrock_api_key: "bedrockApiKey",
  api_key: "apiKey",
  bedrock_client: "bedrockClient",
  endpoint_url: "endpointUrl",
  base_url: "baseUrl",
  default_headers: "defaultHeaders",
  max_retries: "maxRetries",
  guardrail_config: "guardrailConfig",
  additional_model_request_fields: "additionalModelRequestFields",
  reasoning_effort: "reasoningEffort",
  additional_model_response_field_paths: "additionalModelResponseFieldPaths",
  supports_tool_choice_values: "supportsToolChoiceValues",
  performance_config: "performanceConfig",
  service_tier: "serviceTier",
  output_config: "outputConfig",
  request_metadata: "requestMetadata",
  guard_last_turn_only: "guardLastTurnOnly",
  raw_blocks: "rawBlocks",
  disable_streaming: "disableStreaming",
  output_version: "outputVersion",
  callback_manager: "callbackManager",
} as const satisfies Record<string, keyof ChatBedrockConverseInput>;

/** Python init args spelled the same in both languages (listed so a test can check each is known). */
export const SAME_NAME_INIT_ARGS = [
  "model",
  "client",
  "system",
  "temperature",
  "stop",
  "provider",
  "streaming",
  "config",
  "timeout",
  "guardrails",
  "cache",
  "callbacks",
  "tags",
  "metadata",
  "verbose",
] as const satisfies readonly (keyof ChatBedrockConverseInput)[];

/** Python's legacy `model_kwargs`: merged into additionalModelRequestFields, as its build_extra does. */
const MODEL_KWARGS = ["model_kwargs", "modelKwargs"] as const;

type SnakeCaseMap = typeof SNAKE_CASE_INIT_ARGS;

/** The constructor args under Python's names, typed like their camelCase twins. */
export type SnakeCaseInitArgs = {
  -readonly [S in keyof SnakeCaseMap]?: ChatBedrockConverseInput[SnakeCaseMap[S]];
} & {
  /** Python's legacy name for extra model request fields (merged under additionalModelRequestFields). */
  model_kwargs?: Record<string, unknown>;
};

/** What the constructor takes: our camelCase args, or Python's snake_case names for them. */
export type ChatBedrockConverseArgs = ChatBedrockConverseInput & SnakeCaseInitArgs;

/** Words of an identifier: `awsSecretAccessKey`, `AWS_SECRET_ACCESS_KEY`, `x-api-key` → lower-case words. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Single words that only name secrets. "token" alone, not "tokens" (max_tokens, budget_tokens). */
const SECRET_WORDS = new Set([
  "secret",
  "secrets",
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "token",
  "credential",
  "credentials",
  "creds",
  "apikey",
  "auth",
  "authorization",
  "bearer",
  "signature",
  "cookie",
  "privatekey",
  "accesskey",
]);
/** A word followed by "key" that makes it a secret (api key, access key, ...). */
const KEY_QUALIFIERS = new Set(["api", "access", "secret", "private", "signing", "encryption", "master", "aws"]);
/** Run-together spellings (`awssecretaccesskey`, `SESSIONTOKEN`). */
const SECRET_FRAGMENTS = [
  "secret",
  "password",
  "passwd",
  "apikey",
  "accesskey",
  "privatekey",
  "sessiontoken",
  "credential",
  "bearer",
  "authtoken",
];

/** Whether an argument name looks like it holds a credential (key, secret, token, password). */
export function looksLikeCredentialName(name: string): boolean {
  const words = identifierWords(name);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === "key" && KEY_QUALIFIERS.has(words[i - 1])) return true;
  }
  const compact = words.join("");
  return compact === "key" || SECRET_FRAGMENTS.some((f) => compact.includes(f));
}

/** Whether a value is shaped like an AWS access key id, a Bedrock API key or an STS session token. */
function looksLikeCredentialValue(value: unknown): boolean {
  let text: string | undefined;
  if (typeof value === "string") text = value;
  else if (value !== null && typeof value === "object") {
    try {
      text = JSON.stringify(value);
    } catch {
      // cycles or BigInt: not a plain config value, and not ours to judge
    }
  }
  return text !== undefined && redactSecrets(text) !== text;
}

function refuse(what: string): never {
  // The name only: the value may be the secret itself.
  throw new BedrockConfigError(
    `ChatBedrockConverse: ${what} looks like a credential, so it was refused ` +
      "instead of being sent to Bedrock inside additionalModelRequestFields. Pass credentials as " +
      "awsAccessKeyId / awsSecretAccessKey / awsSessionToken, bedrockApiKey, credentials or credentialsProfileName " +
      "(Python's snake_case names work too). If it really is a model request field, put it inside additionalModelRequestFields yourself.",
  );
}

/**
 * Constructor args with Python's names renamed to ours, `model_kwargs` merged under
 * additionalModelRequestFields, and unknown args that look like credentials refused with a
 * BedrockConfigError (by name, or by a value shaped like an AWS key). `isKnown` says which camelCase
 * names the class accepts; anything else is left for build_extra to move into additionalModelRequestFields.
 */
export function normalizeInitArgs(
  input: Record<string, unknown>,
  isKnown: (key: string) => boolean,
  warn: (message: string) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  const aliases: Record<string, string> = SNAKE_CASE_INIT_ARGS;
  for (const [snake, camel] of Object.entries(aliases)) {
    if (!Object.hasOwn(out, snake)) continue;
    const value = out[snake];
    delete out[snake];
    if (value === undefined) continue;
    if (out[camel] !== undefined && out[camel] !== value) {
      throw new BedrockConfigError(
        `ChatBedrockConverse: both ${camel} and ${snake} were given, with different values; pass only one of them.`,
      );
    }
    out[camel] = value;
  }

  for (const name of MODEL_KWARGS) {
    if (!Object.hasOwn(out, name)) continue;
    const kwargs = out[name];
    delete out[name];
    if (kwargs === undefined || kwargs === null) continue;
    if (!isPlainObject(kwargs))
      throw new BedrockConfigError(`ChatBedrockConverse: ${name} must be an object of extra model request fields.`);
    for (const [key, value] of Object.entries(kwargs)) {
      if (looksLikeCredentialName(key) || looksLikeCredentialValue(value)) refuse(`${name} key "${key}"`);
    }
    warn(`ChatBedrockConverse: ${name} is deprecated; its keys were merged into additionalModelRequestFields. Pass them there instead.`);
    const explicit = out.additionalModelRequestFields;
    out.additionalModelRequestFields = { ...kwargs, ...(isPlainObject(explicit) ? explicit : {}) };
  }

  // Python's timeout is in seconds, ours in milliseconds: a ported `timeout: 30` would allow 30 ms.
  if (typeof out.timeout === "number" && out.timeout > 0 && out.timeout < 1000) {
    warn(
      `ChatBedrockConverse: timeout is in milliseconds (Python's is in seconds), so ${out.timeout} allows ${out.timeout} ms per attempt. ` +
        `For ${out.timeout} seconds pass ${out.timeout * 1000}.`,
    );
  }

  for (const [key, value] of Object.entries(out)) {
    if (value === undefined || isKnown(key)) continue;
    if (looksLikeCredentialName(key) || looksLikeCredentialValue(value)) refuse(`"${key}" is not a constructor argument and`);
  }
  return out;
}

/** Constructor args never serialized: objects that may hold secrets or sockets. */
export const UNSERIALIZABLE_ARGS = ["client", "bedrockClient", "credentials", "config", "defaultHeaders"];
const SECRET_ARGS = ["awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken", "bedrockApiKey", "apiKey"];

/**
 * The args as the model's lc_kwargs: secrets replaced (util.inspect shows lc_kwargs; toJSON still
 * maps them to secret ids through lc_secrets) and unserializable objects left out.
 */
export function serializableKwargs(fields: object): Record<string, unknown> {
  const kwargs: Record<string, unknown> = { ...fields };
  for (const key of SECRET_ARGS) if (kwargs[key] !== undefined) kwargs[key] = "[REDACTED]";
  for (const key of UNSERIALIZABLE_ARGS) delete kwargs[key];
  return kwargs;
}
