// Rill's `@langchain/langgraph/zod`: zod state helpers (withLangGraph, the registry) and, on import, the
// `.langgraph` plugin on zod's types (zodPlugin.ts).
import "./zodPlugin";

export { LanggraphZodMetaRegistry, registry, withLangGraph } from "./zodState";
export type { SchemaMeta } from "./zodState";
export type { LangGraphZodMethods } from "./zodPlugin";
