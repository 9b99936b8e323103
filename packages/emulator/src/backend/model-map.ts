// Which backend model answers a Bedrock model id: the first matching pattern of the map
// ("anthropic.*=qwen2.5:7b,amazon.nova-*=llama3.2:3b"), else the default model.
export interface ModelRule {
  pattern: string;
  model: string;
  regex: RegExp;
}

/** Parses "pattern=model,pattern=model"; throws TypeError naming the bad entry. */
export function parseModelMap(map: string | Record<string, string>): ModelRule[] {
  const entries: [string, string][] =
    typeof map === "string"
      ? map
          .split(",")
          .map((e) => e.trim())
          .filter(Boolean)
          .map((entry) => {
            const at = entry.indexOf("=");
            if (at <= 0 || at === entry.length - 1)
              throw new TypeError(
                `backend model map entry ${JSON.stringify(entry)} must look like pattern=model, e.g. anthropic.*=qwen2.5:7b`,
              );
            return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
          })
      : Object.entries(map);
  return entries.map(([pattern, model]) => {
    if (!pattern || !model)
      throw new TypeError(`backend model map entry ${JSON.stringify(`${pattern}=${model}`)} needs a pattern and a model`);
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return { pattern, model, regex: new RegExp(`^${source}$`) };
  });
}

// "us.anthropic.claude-..." (cross-region profile) and foundation-model ARNs match as the bare id.
const GEO_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;
const FOUNDATION_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*::foundation-model\//;

export function chooseModel(modelId: string, rules: ModelRule[], fallback: string | undefined): string | undefined {
  const bare = modelId.replace(FOUNDATION_ARN, "").replace(GEO_PREFIX, "");
  for (const rule of rules) if (rule.regex.test(modelId) || rule.regex.test(bare)) return rule.model;
  return fallback;
}
