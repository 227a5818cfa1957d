// A graph factory, as LangGraph's server allows: called with the run's config, it may build a different
// graph per run (here: the greeting comes from config.configurable.greeting).
import { Annotation, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ name: Annotation<string>(), greeting: Annotation<string>() });

export async function makeGraph(config: { configurable?: Record<string, unknown> }) {
  const word = typeof config.configurable?.greeting === "string" ? config.configurable.greeting : "Hello";
  return new StateGraph(State)
    .addNode("greet", (state: typeof State.State) => ({ greeting: `${word}, ${state.name ?? "world"}!` }))
    .addEdge(START, "greet")
    .compile();
}
