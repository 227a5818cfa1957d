// LangGraph.js's zod plugin: `schema.langgraph.reducer(fn, inputSchema)` and `schema.langgraph.metadata(extras)`
// on zod 3 types (`zod/v3`), shorthands for withLangGraph. As LangGraph.js, it is also put on zod 4's ZodType
// prototype, which zod 4's schemas do not inherit from. Importing this module installs it (Rill's
// `@langchain/langgraph/zod`, zod.ts, imports it; the engine's own modules do not), once per prototype: where
// LangGraph.js's own plugin is already installed, that one stays.
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { schemaDefault } from "./stateSchema";
import { withLangGraph, type SchemaMeta } from "./zodState";

export interface LangGraphZodMethods {
  metadata(jsonSchemaExtra: SchemaMeta["jsonSchemaExtra"]): unknown;
  reducer(fn: (current: any, update: any) => any, schema?: unknown): unknown;
}

function install(prototype: object): void {
  if (Object.prototype.hasOwnProperty.call(prototype, "langgraph")) return;
  Object.defineProperty(prototype, "langgraph", {
    configurable: true,
    get(this: object): LangGraphZodMethods {
      const schema = this;
      return {
        metadata: (jsonSchemaExtra) => withLangGraph(schema, { jsonSchemaExtra }),
        reducer: (fn, inputSchema) => withLangGraph(schema, { default: schemaDefault(schema), reducer: { schema: inputSchema, fn } }),
      };
    },
  });
}

install(z.ZodType.prototype);
install(z3.ZodType.prototype);
