// The CLI flags for a local model backend, kept here so cli.ts only spreads them in.
import type { BackendOptions } from "./index.js";

export const BACKEND_USAGE = `
Local model backend (OpenAI-compatible /v1/chat/completions: Ollama, llama.cpp, vLLM, LM Studio):
  --backend openai          answer Converse/ConverseStream with a real local model
  --backend-url URL         e.g. http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:8080/v1 (llama.cpp)
  --backend-model M         backend model for every Bedrock model id, e.g. qwen2.5:7b
  --backend-model-map MAP   per model id, first match wins: 'anthropic.*=qwen2.5:7b,amazon.nova-*=llama3.2:3b'
  --backend-timeout MS      per request (default 300000)
  (a bearer key for the backend, if it needs one, is read from BEDROCK_EMULATOR_BACKEND_API_KEY)
`;

export const BACKEND_CLI_OPTIONS = {
  backend: { type: "string" },
  "backend-url": { type: "string" },
  "backend-model": { type: "string" },
  "backend-model-map": { type: "string" },
  "backend-timeout": { type: "string" },
} as const;

interface BackendArgs {
  backend?: string;
  "backend-url"?: string;
  "backend-model"?: string;
  "backend-model-map"?: string;
  "backend-timeout"?: string;
}

/** { backend } for the parsed flags ({} without --backend), or a message saying what is wrong. */
export function backendOptionsFromArgs(values: BackendArgs): { backend?: BackendOptions } | string {
  if (values.backend === undefined) {
    const stray = ["backend-url", "backend-model", "backend-model-map", "backend-timeout"].find(
      (k) => values[k as keyof BackendArgs] !== undefined,
    );
    return stray ? `--${stray} needs --backend openai` : {};
  }
  if (values.backend !== "openai") return `--backend must be openai, got ${values.backend}`;
  if (!values["backend-url"]) return "--backend openai needs --backend-url, e.g. http://127.0.0.1:11434/v1";
  if (!values["backend-model"] && !values["backend-model-map"]) return "--backend openai needs --backend-model or --backend-model-map";
  const backend: BackendOptions = { type: "openai", url: values["backend-url"] };
  if (values["backend-model"]) backend.model = values["backend-model"];
  if (values["backend-model-map"]) backend.modelMap = values["backend-model-map"];
  if (values["backend-timeout"] !== undefined) {
    const ms = Number(values["backend-timeout"]);
    if (!Number.isInteger(ms) || ms < 1) return "--backend-timeout must be a positive integer (milliseconds)";
    backend.timeoutMs = ms;
  }
  if (process.env.BEDROCK_EMULATOR_BACKEND_API_KEY) backend.apiKey = process.env.BEDROCK_EMULATOR_BACKEND_API_KEY;
  return { backend };
}
