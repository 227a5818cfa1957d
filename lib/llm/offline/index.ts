export { createOfflineModelHandler, handleOfflineModelRequest, OFFLINE_MODEL_ID, DELAY_HEADER } from "./offlineModelHandler";
export type { OfflineModelHandler, OfflineModelOptions } from "./offlineModelHandler";
export { startOfflineModelServer } from "./offlineModelServer";
export type { OfflineModelServer, OfflineModelServerOptions } from "./offlineModelServer";
export type { StreamOutcome } from "./sseStream";
export { FAIL_HEADER, FAIL_MODEL_PREFIX } from "./failureInjection";
export { DEFAULT_OFFLINE_DELAY_MS, offlineDelayMs } from "./offlinePace";
export { tokenize, countTokens } from "./tokenize";
