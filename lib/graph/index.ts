// Rill's graph engine: LangGraph.js's API (change the import, keep the code), much less overhead per
// step, and streams whose memory stays bounded.
export { Annotation, AnnotationRoot } from "./annotation";
export type { StateDefinition, StateType, UpdateType } from "./annotation";
export { AnyValue, BaseChannel, BinaryOperatorAggregate, DeltaChannel, DynamicBarrierValue, EphemeralValue, LastValue, NamedBarrierValue, Topic, UntrackedValueChannel } from "./channels/index";
export { Command, isCommand } from "./command";
export type { CommandParams } from "./command";
export { CompiledStateGraph, DEFAULT_RECURSION_LIMIT } from "./compiledGraph";
export type { GraphStream, RunOutcome, RunStream, StateSnapshot, StreamPartOf, NamespacedPartOf } from "./compiledGraph";
export { CONFIG_KEY_NODE_FINISHED, END, INTERRUPT, START } from "./constants";
export {
  BaseLangGraphError,
  EmptyChannelError,
  EmptyInputError,
  GraphInterrupt,
  GraphRecursionError,
  GraphValueError,
  InvalidUpdateError,
  NodeInterrupt,
  ParentCommand,
  RemoteException,
  UnreachableNodeError,
  isGraphInterrupt,
} from "./errors";
export { interrupt, isInterrupted } from "./interrupt";
export { getConfig, getCurrentTaskInput, getStore, getWriter } from "./taskAccess";
export { OVERWRITE, Overwrite, _getOverwriteValue } from "./overwrite";
export { MemorySaver } from "./checkpoint/memory/memorySaver";
export { BaseCheckpointSaver, WRITES_IDX_MAP, copyCheckpoint, emptyCheckpoint, getCheckpointId } from "./checkpoint/base";
export type {
  ChannelVersions,
  Checkpoint,
  CheckpointListOptions,
  CheckpointMetadata,
  CheckpointPendingWrite,
  CheckpointTuple,
  PendingWrite,
  SerializerProtocol,
} from "./checkpoint/base";
export type { RetryPolicy } from "./retry";
export type { NodeConfig, RunConfig } from "./runConfig";
export type { ExecutionInfo, ServerInfo } from "./pregel/taskConfig";
// LangGraph.js's name for what a node receives as its second argument.
export type { NodeConfig as Runtime } from "./runConfig";
// LangGraph.js's names for the config a node receives, so its imports keep working after the swap.
export type { NodeConfig as LangGraphRunnableConfig, RunConfig as RunnableConfig } from "./runConfig";
export { Send, isSend } from "./send";
export { StateGraph } from "./stateGraph";
export { CompiledGraph, Graph } from "./graph";
export { MessagesValue, ReducedValue, StateSchema } from "./stateSchema";
export { LanggraphZodMetaRegistry, MessagesZodMeta, MessagesZodState, registry, withLangGraph } from "./zodState";
export type { SchemaMeta } from "./zodState";
// LangGraph.js's "@langchain/langgraph/zod/schema": a zod-state graph's JSON schemas.
export { getConfigTypeSchema, getInputTypeSchema, getOutputTypeSchema, getStateTypeSchema, getUpdateTypeSchema } from "./zodJsonSchema";
export type { InferStateSchemaUpdate, InferStateSchemaValue, StandardSchema, StateSchemaFields } from "./stateSchema";
export type { CompileOptions, DrawableEdge, DrawableGraph, DrawableNode, NodeAction, NodeOptions } from "./stateGraph";
export { DEFAULT_MAX_BUFFERED_CHUNKS } from "./streamBuffer";
export { TASK_CONTEXT, getTaskContext, runWithTaskContext } from "./taskContext";
export type { TaskContext } from "./taskContext";
export * from "./types";
export type * from "./messages";
export { MessagesAnnotation, REMOVE_ALL_MESSAGES, addMessages, messagesStateReducer } from "./messagesState";
export { messagesDeltaReducer } from "./messagesDelta";
export type { DeltaReducer } from "./channels/delta";
export type { MessageLike, Messages, RemoveMessage } from "./messagesState";
export { drawMermaid } from "./graphDrawing";
// "tools" mode's callback handler (LangGraph.js's StreamToolsHandler): the engine adds one per task when streaming "tools".
export { StreamToolsHandler } from "./langchain/streamToolsCallbacks";
// streamEvents v3's transformers (options.transformers) and the channels they push to.
export { StreamChannel } from "./stream/streamChannel";
export type { StreamTransformer, StreamTransformerFactory } from "./stream/streamTransformers";
export type { ToolsNamespaceOptions } from "./langchain/streamToolsCallbacks";
// Per-node options: timeout, errorHandler, cachePolicy (+ compile's cache), setNodeDefaults; run control, durability.
export { GraphDrained, NodeError, NodeTimeoutError, isGraphDrained, isNodeError, isNodeTimeoutError } from "./nodeOptions/errors";
export type { NodeTimeoutFields } from "./nodeOptions/errors";
export { CACHE_NS_WRITES, InMemoryCache } from "./nodeOptions/cache";
export type { CacheFullKey, CacheNamespace, CachePolicy, NodeCache as BaseCache } from "./nodeOptions/cache";
export { coerceTimeoutPolicy } from "./nodeOptions/timeoutPolicy";
export type { TimeoutPolicy } from "./nodeOptions/timeoutPolicy";
export type { NodeErrorHandler } from "./nodeOptions/errorHandler";
export { RunControl } from "./nodeOptions/runControl";
export type { BuilderNodeSpec, NodeDefaults } from "./stateGraph";
export type { CompiledNode } from "./compiledGraph";
export type { SendOptions } from "./send";
export { EntrypointFinal, EntrypointGraph, PREVIOUS, entrypoint, getPreviousState, task } from "./func/index";
export type { EntrypointOptions, TaskOptions } from "./func/index";
export { initializeAsyncLocalStorageSingleton } from "./langchain/langchainContext";
export { RemoteGraph } from "./remote/index";
export type { RemoteGraphParams } from "./remote/index";
// LangGraph.js's low-level Pregel API: new Pregel({ nodes, channels, inputChannels, outputChannels }).
export { Channel, PregelNode } from "./pregel/pregelNode";
export { ChannelWrite, PASSTHROUGH } from "./pregel/channelWrite";
export type { ChannelWriteEntry } from "./pregel/channelWrite";
export { Pregel } from "./pregel/lowLevelPregel";
export type { PregelOptions } from "./pregel/lowLevelPregel";
