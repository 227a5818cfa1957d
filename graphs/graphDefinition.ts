// A graph the run server can run. Graphs are registered in code (clients never send code); each module in
// graphs/ exports one definition, and server/graphRegistry.ts lists them. Nothing here knows about servers.
import type { z } from "zod";
import type { CompiledStateGraph } from "../lib/graph";

export interface GraphDefinition<Input extends z.ZodType = z.ZodType> {
  /** URL-safe id clients use: "joke", "llm-joke", ... */
  id: string;
  title: string;
  /** One or two sentences shown in the playground's picker. */
  description: string;
  /** Validates a run's input; its error messages name the offending field. */
  input: Input;
  exampleInput: z.input<Input>;
  /** True when nodes call the chat model (the playground shows which model is in use). */
  usesModel?: boolean;
  /** Builds the compiled graph once; the server gives it its checkpointer (threads, interrupts) unless it brings its own. */
  build(): CompiledStateGraph;
}
