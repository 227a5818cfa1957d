// Rill's LLM layer: chat models on the official openai SDK whose tokens stream in "messages" mode, and the
// offline model that serves the same HTTP API with no key and no network.
export { ChatOpenAI } from "./chatOpenAI";
export type { ChatOpenAIFields, ModelCallConfig } from "./chatOpenAI";
export type { MessageLike, ModelInput } from "./messageInput";
export type { ToolChoice, ToolDefinition } from "./toolDefinition";
export { ProviderError } from "./providerError";
export type { ProviderErrorDetails } from "./providerError";
export {
  DEFAULT_OPENAI_MODEL,
  OFFLINE_MODEL_NAME,
  getOfflineModelURL,
  resolveModelConfig,
  setOfflineModelURL,
} from "./modelConfig";
export type { ModelConfig } from "./modelConfig";
export { ensureOfflineModelURL } from "./offlineEndpoint";
export * from "./offline";
