// (d) of the engine benchmark: createReactAgent's loop (`@langchain/langgraph/prebuilt` on LangGraph.js,
// lib/graph/prebuilt on Rill) with a fake chat model and one tool, both from @langchain/core. The model
// asks for the tool until the conversation holds `turns - 1` tool results, then answers, so one run is
// `2 * turns - 1` steps (agent, tools, agent, ..., agent). Both sides pay the same LangChain costs (the
// prompt RunnableSequence, the model's and the tool's callback managers, zod parsing); the difference is
// the engine around them.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";

type Prebuilt = typeof import("@langchain/langgraph/prebuilt");

/** Calls `increment` until `toolResults` tool messages are in the conversation, then says "done". */
class CountingChatModel extends BaseChatModel {
  constructor(private readonly toolResults: number) {
    super({});
  }

  _llmType(): string {
    return "counting-fake";
  }

  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    let results = 0;
    for (const m of messages) if (m.getType() === "tool") results++;
    const message =
      results < this.toolResults
        ? new AIMessage({ content: "", tool_calls: [{ id: `call_${results}`, name: "increment", args: { n: results } }] })
        : new AIMessage("done");
    return { generations: [{ text: String(message.content), message }] };
  }
}

const increment = tool(async ({ n }: { n: number }) => String(n + 1), {
  name: "increment",
  description: "Adds one",
  schema: z.object({ n: z.number() }),
});

export const AGENT_TURNS = 20;
export const agentSteps = (turns: number) => 2 * turns - 1;

/** Builds the agent once; the returned function runs it once (invoke) and returns the conversation's length. */
export function buildAgentLoop(lg: GraphLib, prebuilt: Prebuilt, turns: number) {
  void lg;
  const agent = prebuilt.createReactAgent({ llm: new CountingChatModel(turns - 1), tools: [increment] });
  return async (): Promise<number> => {
    const out = await agent.invoke({ messages: [{ role: "user", content: "count" }] }, { recursionLimit: agentSteps(turns) + 1 });
    return out.messages.length;
  };
}

/** The floor: the same model and tool calls in a plain loop, no engine (what the LangChain parts cost alone). */
export async function bareAgentLoop(turns: number): Promise<number> {
  const model = new CountingChatModel(turns - 1);
  const messages: BaseMessage[] = [new HumanMessage("count")];
  for (;;) {
    const reply = (await model.invoke(messages)) as AIMessage;
    messages.push(reply);
    if (!reply.tool_calls?.length) return messages.length;
    for (const call of reply.tool_calls) messages.push((await increment.invoke({ ...call, type: "tool_call" })) as BaseMessage);
  }
}
