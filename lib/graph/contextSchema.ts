// A graph's context schema: `new StateGraph(state, contextSchema)` (or `{ context }`), a zod object. As in
// LangGraph.js, each run checks `config.context` against it when given, else `config.configurable`, and
// fails before its first step with zod's error; `getConfigTypeSchema(graph)` is its JSON schema.
import * as zodCore from "zod/v4/core";
import { AnnotationRoot } from "./annotation";

/** A zod object (zod 4, or zod 3's `zod/v3`), or an Annotation.Root: the forms LangGraph.js takes as context. */
export function isContextSchema(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (AnnotationRoot.isInstance(value)) return true;
  const schema = value as { _zod?: { def?: { type?: string } }; _def?: { typeName?: string } };
  return schema._zod?.def?.type === "object" || schema._def?.typeName === "ZodObject";
}

/** Throws zod's error when the run's context (or configurable) fails the schema; Annotation contexts are not checked. */
export function validateContext(schema: unknown, config: { context?: unknown; configurable?: unknown }): void {
  const value = config.context !== undefined ? config.context : config.configurable;
  const zod = schema as { _zod?: unknown; parse?: (v: unknown) => unknown };
  if (zod._zod !== undefined) zodCore.parse(zod as unknown as zodCore.$ZodType, value);
  else if (!AnnotationRoot.isInstance(schema) && typeof zod.parse === "function") zod.parse(value);
}
