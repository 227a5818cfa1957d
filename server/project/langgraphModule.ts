// What `@langchain/langgraph` (and `/web`) means to a user graph on Rill's engine (engineMapping.ts): Rill's
// engine, lib/graph, with one addition. LangGraph.js keeps the zod schema a StateGraph was built from (the
// server shows it as the graph's input schema); Rill's StateGraph keeps only the state's keys. This
// StateGraph, a subclass, remembers the schema it was given for the graphs it compiles, so the server can
// show it too. Only project graphs load this module; Rill's own code never pays for it.
import { StateGraph as RillStateGraph, type CompileOptions } from "../../lib/graph";

export * from "../../lib/graph";

const declared = new WeakMap<object, unknown>();

/** The schema (a zod object, or `{ input }`'s) a project graph's StateGraph was constructed with, if any. */
export function declaredSchemaOf(compiled: object): unknown {
  return declared.get(compiled);
}

// The constructor's and compile()'s types are Rill's; only the runtime behaviour is added to.
export class StateGraph extends (RillStateGraph as new (schema: unknown, options?: unknown) => RillStateGraph<any, any>) {
  private readonly declaredSchema: unknown;

  // `options`: `{ input, output }`, or a context schema (a zod object), as Rill's StateGraph takes them.
  constructor(schema: unknown, options?: { input?: unknown }) {
    super(schema, options);
    this.declaredSchema = options?.input ?? (schema as { input?: unknown } | null)?.input ?? schema;
  }

  override compile(options?: CompileOptions) {
    const compiled = super.compile(options);
    if (this.declaredSchema !== null && typeof this.declaredSchema === "object") declared.set(compiled, this.declaredSchema);
    return compiled;
  }
}
