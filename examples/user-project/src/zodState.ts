// State declared with a zod object; the default export is the graph.
import { START, StateGraph } from "@langchain/langgraph";
import { z } from "zod";

const State = z.object({
  topic: z.string().describe("What the joke is about"),
  joke: z.string().optional(),
});

export default new StateGraph(State)
  .addNode("tell", (state: z.infer<typeof State>) => ({ joke: `A joke about ${state.topic}` }))
  .addEdge(START, "tell")
  .compile();
