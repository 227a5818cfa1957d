// LangGraph.js's two deprecated prebuilt executors, kept so old code runs: `createAgentExecutor` (an
// agent runnable producing actions, a ToolExecutor running them, until the agent returns `returnValues`)
// and `createFunctionCallingExecutor` (a model bound to OpenAI functions, looping while it calls one).
import { FunctionMessage, type BaseMessage } from "@langchain/core/messages";
import { RunnableLambda, type Runnable } from "@langchain/core/runnables";
import { convertToOpenAIFunction } from "@langchain/core/utils/function_calling";
import { END, START } from "../constants";
import { StateGraph } from "../stateGraph";
import { ToolExecutor } from "./toolExecutor";
import type { ToolLike } from "./toolNode";

type AgentOutcome = { tool: string; toolInput: unknown; log?: string } | { returnValues: unknown; log?: string };
interface AgentState {
  input: unknown;
  agentOutcome?: AgentOutcome;
  steps: Array<{ action: AgentOutcome; observation: unknown }>;
}

export function createAgentExecutor({ agentRunnable, tools }: { agentRunnable: Runnable; tools: ToolLike[] | ToolExecutor }) {
  const executor = Array.isArray(tools) ? new ToolExecutor({ tools }) : tools;
  return new StateGraph({
    channels: { input: null, agentOutcome: null, steps: { reducer: (x: unknown[], y: unknown[]) => x.concat(y), default: () => [] } },
  })
    .addNode("agent", async (data: AgentState, config) => ({ agentOutcome: await agentRunnable.invoke(data, config as never) }))
    .addNode("action", async (data: AgentState, config) => {
      const action = data.agentOutcome;
      if (!action || "returnValues" in action) throw new Error("Agent has not been run yet");
      return { steps: [{ action, observation: await executor.invoke(action as never, config as never) }] };
    })
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (data: any) => ((data as AgentState).agentOutcome && "returnValues" in (data as AgentState).agentOutcome! ? "end" : "continue"), { continue: "action", end: END })
    .addEdge("action", "agent")
    .compile();
}

type FunctionCall = { name: string; arguments: string };
const functionCallOf = (message: BaseMessage | undefined) => message?.additional_kwargs?.function_call as FunctionCall | undefined;

export function createFunctionCallingExecutor({ model, tools }: { model: Runnable & { bind?: (kwargs: unknown) => Runnable }; tools: ToolLike[] | ToolExecutor }) {
  const executor = Array.isArray(tools) ? new ToolExecutor({ tools }) : tools;
  const toolList = Array.isArray(tools) ? tools : tools.tools;
  if (typeof model.bind !== "function") throw new Error("Model must be bindable");
  const withFunctions = model.bind({ functions: toolList.map((t) => convertToOpenAIFunction(t as never)) });
  const callModel = async (state: { messages: BaseMessage[] }, config: unknown) => ({ messages: [await withFunctions.invoke(state.messages, config as never)] });
  const callTool = async (state: { messages: BaseMessage[] }, config: unknown) => {
    const last = state.messages[state.messages.length - 1];
    if (!last) throw new Error("No messages found.");
    const call = functionCallOf(last);
    if (!call) throw new Error("No function call found in message.");
    const action = { tool: call.name, toolInput: JSON.stringify(call.arguments), log: "" };
    return { messages: [new FunctionMessage({ content: (await executor.invoke(action, config as never)) as string, name: action.tool })] };
  };
  return new StateGraph({ channels: { messages: { value: (x: BaseMessage[], y: BaseMessage[]) => x.concat(y), default: () => [] } } })
    .addNode("agent", new RunnableLambda({ func: callModel }))
    .addNode("action", new RunnableLambda({ func: callTool }))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state: any) => (functionCallOf(state.messages[state.messages.length - 1]) ? "continue" : "end"), { continue: "action", end: END })
    .addEdge("action", "agent")
    .compile();
}
