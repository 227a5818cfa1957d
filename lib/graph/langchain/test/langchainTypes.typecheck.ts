// Type-level check (run by `npm run typecheck`, never executed): LangGraph.js code written against
// @langchain/core messages, chat models and tools type-checks unchanged with Rill's imports.
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { z } from "zod";
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from "../../index";
import { ToolNode, createReactAgent, toolsCondition } from "../../prebuilt/index";

const model = new FakeListChatModel({ responses: ["hi"] });
const add = tool(async ({ a, b }: { a: number; b: number }) => String(a + b), { name: "add", description: "adds", schema: z.object({ a: z.number(), b: z.number() }) });

export const chat = new StateGraph(MessagesAnnotation)
  .addNode("agent", async (state, config) => {
    const last: BaseMessage = state.messages[state.messages.length - 1];
    const kind: string = last.getType();
    void kind;
    return { messages: [await model.invoke(state.messages, config)] };
  })
  .addNode("tools", new ToolNode([add]))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", toolsCondition, ["tools", END])
  .addEdge("tools", "agent")
  .compile({ checkpointer: new MemorySaver() });

export async function run(): Promise<string> {
  const out = await chat.invoke({ messages: [new HumanMessage("hello"), { role: "user", content: "plain too" }, new AIMessage("ok")] });
  const agent = createReactAgent({ llm: model, tools: [add], prompt: "be brief" });
  void agent;
  return String(out.messages.at(-1)?.content);
}
