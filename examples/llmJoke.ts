// The streaming guide's LLM example: tokens stream in "messages" mode with the step and node that made them.
// Offline by default; set OPENAI_API_KEY (and OPENAI_BASE_URL / OPENAI_MODEL) for a real model.
//   npx tsx examples/llmJoke.ts
import { Annotation, START, StateGraph } from "../lib/graph";
import { ChatOpenAI } from "../lib/llm";

const State = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });
const llm = new ChatOpenAI({ model: process.env.OPENAI_MODEL ?? "gpt-4o-mini", temperature: 0.7 });

async function generate_joke(state: typeof State.State) {
  const response = await llm.invoke([{ role: "user", content: `Generate a joke about ${state.topic}` }]);
  return { joke: response.content };
}

const graph = new StateGraph(State)
  .addNode("refine_topic", (state) => ({ topic: state.topic + " and cats" }))
  .addNode(generate_joke)
  .addEdge(START, "refine_topic")
  .addEdge("refine_topic", "generate_joke")
  .compile();

let last;
for await (const [message, metadata] of await graph.stream({ topic: "ice cream" }, { streamMode: "messages" })) {
  if (message.content) process.stdout.write(message.content + "|");
  last = metadata;
}
console.log("\n", last);
