// `@langchain/langgraph/remote`.
export { RemoteGraph } from "./remoteGraph";
export type { RemoteGraphParams, RemoteStateSnapshot } from "./remoteGraph";
