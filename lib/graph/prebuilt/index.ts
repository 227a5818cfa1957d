// Rill's `@langchain/langgraph/prebuilt`: map that import here (or import this file) and LangGraph.js's
// prebuilt agents run on Rill's engine. Works on @langchain/core messages, tools and chat models.
export { ToolNode, toolsCondition } from "./toolNode";
export type { ToolLike, ToolNodeOptions } from "./toolNode";
export { createReactAgent, createReactAgentAnnotation } from "./reactAgent";
export type { CreateReactAgentParams } from "./reactAgent";
export { ToolExecutor } from "./toolExecutor";
export type { ToolInvocation } from "./toolExecutor";
export { withAgentName } from "./agentName";
export { createAgentExecutor, createFunctionCallingExecutor } from "./legacyExecutors";
