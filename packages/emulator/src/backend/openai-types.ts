// The slice of the OpenAI Chat Completions API the backend speaks (request, response, stream chunk),
// as OpenAI-compatible local servers (Ollama, llama.cpp, vLLM, LM Studio) implement it.

export type ChatContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ChatContentPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ChatTool {
  type: "function";
  function: { name: string; description?: string; parameters: unknown };
}

export type ChatToolChoice = "auto" | "required" | "none" | { type: "function"; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  response_format?: { type: "json_schema"; json_schema: { name: string; schema: unknown; strict?: boolean } };
  stream?: boolean;
  stream_options?: { include_usage: boolean };
}

export interface ChatUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** Reasoning arrives as `reasoning_content` (vLLM, llama.cpp, DeepSeek) or `reasoning` (Ollama, newer servers). */
export interface ChatResponseMessage {
  role?: string;
  content?: string | null | { type?: string; text?: string }[];
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string | object } }[];
}

export interface ChatResponse {
  choices?: { index?: number; message?: ChatResponseMessage; finish_reason?: string | null }[];
  usage?: ChatUsage;
}

export interface ChatStreamChunk {
  choices?: {
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: { index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: ChatUsage | null;
  error?: { message?: string; code?: number | string } | string;
}
