// A multi-turn chat: the state is a list of messages (MessagesAnnotation), each run adds the user's
// message and the model's reply. Run it on a thread (runs.stream with threadId) and every turn sees the
// whole conversation so far; threads.history lists one checkpoint per step. The model is the configured
// one (OPENAI_*), else Rill's offline model, streamed token by token in "messages" mode.
import { z } from "zod";
import { END, MessagesAnnotation, START, StateGraph } from "../lib/graph";
import { ChatOpenAI } from "../lib/llm";
import type { GraphDefinition } from "./graphDefinition";

const input = z.strictObject({
  messages: z
    .array(z.strictObject({ role: z.enum(["user", "system"]), content: z.string().min(1).max(4000) }))
    .min(1)
    .max(20)
    .describe("The new turn: usually one user message"),
});

/** How many of the latest messages the model is shown (a long thread stays a bounded request). */
export const CHAT_WINDOW = 40;

export function buildChatGraph(model = new ChatOpenAI({ temperature: 0.7 })) {
  return new StateGraph(MessagesAnnotation)
    .addNode("respond", async (state: typeof MessagesAnnotation.State, config?: object) => {
      const reply = await model.invoke(state.messages.slice(-CHAT_WINDOW) as Parameters<typeof model.invoke>[0], config);
      return { messages: [reply] };
    })
    .addEdge(START, "respond")
    .addEdge("respond", END)
    .compile();
}

export const chatGraph: GraphDefinition<typeof input> = {
  id: "chat",
  title: "Chat",
  description: "A multi-turn chat: run it on a thread and each turn continues the conversation (messages state, the chat model).",
  input,
  exampleInput: { messages: [{ role: "user", content: "Hello! Tell me a joke about ice cream." }] },
  usesModel: true,
  build: () => buildChatGraph(),
};

export default chatGraph;
