// `@langchain/langgraph/channels`: the channel classes with LangGraph.js's standalone API.
export { BaseChannel } from "./base";
export { BinaryOperatorAggregate, LastValue } from "./channel";
export type { WriteValidator } from "./channel";
export { Topic } from "./topic";
export { AnyValue, EphemeralValue, UntrackedValueChannel } from "./lastWriteChannels";
export { DynamicBarrierValue, NamedBarrierValue } from "./barrierChannels";
export type { WaitForNames } from "./barrierChannels";
export { DeltaChannel } from "./delta";
export type { DeltaReducer } from "./delta";
