// The slice of the Bedrock control plane (service "bedrock") clients call next to the runtime:
// GetInferenceProfile, so a client given an application inference profile ARN can find the
// base model behind it. Profiles live in memory and are configurable at start and via admin.

export interface InferenceProfileConfig {
  /** The base model: a foundation-model id (anthropic.claude-...) or a foundation-model ARN. */
  modelId: string;
  /** Extra models, e.g. the regional copies of a cross-region profile. */
  additionalModelIds?: string[];
  name?: string;
  description?: string;
}

export interface InferenceProfile {
  inferenceProfileArn: string;
  inferenceProfileId: string;
  inferenceProfileName: string;
  description: string;
  models: { modelArn: string }[];
  status: "ACTIVE";
  type: "APPLICATION";
  createdAt: string;
  updatedAt: string;
}

const DEFAULT_REGION = "us-east-1";
const DEFAULT_ACCOUNT = "123456789012";

/** Built in, so clients can exercise the application-inference-profile path with no setup. */
export const DEFAULT_INFERENCE_PROFILES: Record<string, InferenceProfileConfig> = {
  "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/emulator-claude": {
    modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    name: "emulator-claude",
    description: "Built-in emulator application inference profile for Claude 3.5 Sonnet",
  },
};

const PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12}):application-inference-profile\/([a-zA-Z0-9]+[a-zA-Z0-9_.:-]*)$/;
const FOUNDATION_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*::foundation-model\/(.+)$/;
// Fixed timestamps keep GetInferenceProfile answers identical across runs.
const CREATED_AT = "2024-11-01T00:00:00.000Z";

function modelArn(modelId: string, region: string): string {
  return FOUNDATION_ARN.test(modelId) ? modelId : `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** The foundation-model id inside a model id or foundation-model ARN. */
function foundationModelId(modelIdOrArn: string): string {
  return FOUNDATION_ARN.exec(modelIdOrArn)?.[1] ?? modelIdOrArn;
}

export class InferenceProfileStore {
  private profiles = new Map<string, InferenceProfile>();

  constructor(private readonly initial: Record<string, InferenceProfileConfig> = DEFAULT_INFERENCE_PROFILES) {
    this.reset();
  }

  /** Back to the profiles given at start. */
  reset(): void {
    this.profiles.clear();
    for (const [key, config] of Object.entries(this.initial)) this.add(key, config);
  }

  /** `key` is a profile ARN or a bare profile id (then the ARN uses us-east-1 / 123456789012). */
  add(key: string, config: InferenceProfileConfig): InferenceProfile {
    if (typeof config?.modelId !== "string" || config.modelId === "") throw new TypeError("An inference profile needs a modelId.");
    const arnMatch = PROFILE_ARN.exec(key);
    if (!arnMatch && !/^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,63}$/.test(key)) {
      throw new TypeError(`${JSON.stringify(key)} is neither an application inference profile ARN nor a profile id.`);
    }
    const [region, account, id] = arnMatch ? [arnMatch[1], arnMatch[2], arnMatch[3]] : [DEFAULT_REGION, DEFAULT_ACCOUNT, key];
    const profile: InferenceProfile = {
      inferenceProfileArn: `arn:aws:bedrock:${region}:${account}:application-inference-profile/${id}`,
      inferenceProfileId: id,
      inferenceProfileName: config.name ?? id,
      description: config.description ?? `Application inference profile for ${foundationModelId(config.modelId)}`,
      models: [config.modelId, ...(config.additionalModelIds ?? [])].map((m) => ({ modelArn: modelArn(m, region) })),
      status: "ACTIVE",
      type: "APPLICATION",
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
    };
    this.profiles.set(profile.inferenceProfileArn, profile);
    return structuredClone(profile);
  }

  /** Looks a profile up by ARN or id. */
  get(identifier: string): InferenceProfile | undefined {
    const direct = this.profiles.get(identifier);
    if (direct) return structuredClone(direct);
    for (const p of this.profiles.values()) if (p.inferenceProfileId === identifier) return structuredClone(p);
    return undefined;
  }

  list(): InferenceProfile[] {
    return [...this.profiles.values()].map((p) => structuredClone(p));
  }

  /** A runtime model id naming a known profile ARN -> its base foundation-model id; else unchanged. */
  resolveModelId(modelId: string): string {
    if (!PROFILE_ARN.test(modelId)) return modelId;
    const profile = this.profiles.get(modelId);
    return profile ? foundationModelId(profile.models[0].modelArn) : modelId;
  }
}
