// The seed's LLM example: refine_topic adds " and cats", then generate_joke asks the chat model for a joke.
// Streamed in "messages" mode, the joke arrives token by token, each with the seed's metadata. With no
// OPENAI_API_KEY / OPENAI_BASE_URL the model is Rill's offline model; with them, the configured provider.
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../lib/graph";
import { ChatOpenAI } from "../lib/llm";
import type { GraphDefinition } from "./graphDefinition";
import { topicField } from "./topicField";

const input = z.strictObject({
  topic: topicField,
});

const JokeState = Annotation.Root({
  topic: Annotation<string>(),
  joke: Annotation<string>(),
});

export function buildLlmJokeGraph(model = new ChatOpenAI({ temperature: 0.7 })) {
  return new StateGraph(JokeState)
    .addNode("refine_topic", (state: typeof JokeState.State) => ({ topic: `${state.topic} and cats` }))
    .addNode("generate_joke", async (state: typeof JokeState.State, config?: object) => {
      const reply = await model.invoke([{ role: "user", content: `Generate a joke about ${state.topic}` }], config);
      return { joke: reply.content };
    })
    .addEdge(START, "refine_topic")
    .addEdge("refine_topic", "generate_joke")
    .addEdge("generate_joke", END)
    .compile();
}

export const llmJoke: GraphDefinition<typeof input> = {
  id: "llm-joke",
  title: "LLM joke",
  description: "The seed's LLM example: refine the topic, then a chat model writes a joke about it, streamed token by token.",
  input,
  exampleInput: { topic: "ice cream" },
  usesModel: true,
  build: () => buildLlmJokeGraph(),
};

export default llmJoke;
