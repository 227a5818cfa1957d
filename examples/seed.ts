// The streaming guide's example graph, on Rill's engine: `npx tsx examples/seed.ts`.
import { Annotation, START, StateGraph, type LangGraphRunnableConfig } from "../lib/graph";

const State = Annotation.Root({
  topic: Annotation<string>(),
  joke: Annotation<string>(),
});

function refine_topic(state: typeof State.State) {
  return { topic: state.topic + " and cats" };
}

function generate_joke(state: typeof State.State, config: LangGraphRunnableConfig) {
  config.writer?.({ custom_key: "Writing custom data while generating a joke" });
  return { joke: `This is a joke about ${state.topic}` };
}

const graph = new StateGraph(State)
  .addNode(refine_topic)
  .addNode(generate_joke)
  .addEdge(START, "refine_topic")
  .addEdge("refine_topic", "generate_joke")
  .compile();

for (const mode of ["values", "updates", "custom", "debug"] as const) {
  console.log(`# streamMode: "${mode}"`);
  for await (const chunk of await graph.stream({ topic: "ice cream" }, { streamMode: mode })) {
    console.log(JSON.stringify(chunk));
  }
}

console.log('# streamMode: ["updates", "custom"]');
for await (const [mode, chunk] of await graph.stream({ topic: "ice cream" }, { streamMode: ["updates", "custom"] })) {
  console.log(`Stream mode: ${mode}`);
  console.log(JSON.stringify(chunk));
}

console.log("# streamSync (the seed's synchronous tab)");
for (const chunk of graph.streamSync({ topic: "ice cream" }, { streamMode: "updates" })) {
  console.log(JSON.stringify(chunk));
}
