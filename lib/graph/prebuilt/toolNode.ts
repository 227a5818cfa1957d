// `ToolNode` and `toolsCondition`, as in LangGraph.js's `@langchain/langgraph/prebuilt`: the node runs
// the tool calls of the conversation's last AI message (those not answered yet), in parallel, and returns
// one ToolMessage per call. A tool that throws becomes a ToolMessage with `status: "error"` and the
// error's message (unless `handleToolErrors: false`); interrupts always propagate. A tool may return a
// Command; a `Send` input `{ ...state, lg_tool_call }` runs that one call (createReactAgent's version "v2").
// The prebuilt entry works on @langchain/core messages and tools, so it imports @langchain/core (the
// engine itself does not).
import { ToolMessage, isAIMessage, isBaseMessage, type AIMessage, type BaseMessage, type ToolCall } from "@langchain/core/messages";
import { Command, isCommand } from "../command";
import { END } from "../constants";
import { isGraphInterrupt } from "../errors";
import { isSend, type Send } from "../send";
import { TASK_CONTEXT } from "../taskContext";

/** What ToolNode needs of a tool: LangChain's StructuredTool / DynamicTool / `tool()` fit it. */
export interface ToolLike {
  name: string;
  invoke(input: unknown, config?: unknown): Promise<unknown>;
  returnDirect?: boolean;
}

export interface ToolNodeOptions {
  name?: string;
  tags?: string[];
  /** Default true: a tool's error becomes a ToolMessage for the model to read. */
  handleToolErrors?: boolean;
}

type ToolNodeInput = BaseMessage[] | { messages: BaseMessage[]; [key: string]: unknown } | { lg_tool_call: ToolCall; [key: string]: unknown };
type ToolOutput = ToolMessage | Command;

function isMessageList(value: unknown): value is BaseMessage[] {
  return Array.isArray(value) && value.every((m) => isBaseMessage(m));
}

export class ToolNode {
  readonly lc_graph_name = "ToolNode";
  name: string;
  tags: string[] | undefined;
  tools: ToolLike[];
  handleToolErrors: boolean;
  private readonly byName: Map<string, ToolLike>;

  constructor(tools: ToolLike[], options: ToolNodeOptions = {}) {
    this.tools = tools;
    this.name = options.name ?? "tools";
    this.tags = options.tags;
    this.handleToolErrors = options.handleToolErrors ?? true;
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  /** Runs the pending tool calls; what a graph node returns (`{ messages }`, or a list for a list input). */
  async invoke(input: ToolNodeInput, config: Record<string, unknown> = {}): Promise<unknown> {
    let outputs: ToolOutput[];
    if (input !== null && typeof input === "object" && "lg_tool_call" in input) {
      const { lg_tool_call: call, ...state } = input as { lg_tool_call: ToolCall };
      outputs = [await this.runTool(call, config, state)];
    } else {
      const messages = isMessageList(input) ? input : isMessageList((input as { messages?: unknown })?.messages) ? (input as { messages: BaseMessage[] }).messages : undefined;
      if (messages === undefined) throw new Error("ToolNode only accepts BaseMessage[] or { messages: BaseMessage[] } as input.");
      const answered = new Set<string>();
      for (const m of messages) if (m.getType() === "tool") answered.add((m as ToolMessage).tool_call_id);
      let last: AIMessage | undefined;
      for (let i = messages.length - 1; i >= 0 && last === undefined; i--) if (isAIMessage(messages[i])) last = messages[i] as AIMessage;
      if (last === undefined) throw new Error("ToolNode only accepts AIMessages as input.");
      const pending = (last.tool_calls ?? []).filter((call) => call.id == null || !answered.has(call.id));
      outputs = await Promise.all(pending.map((call) => this.runTool(call, config, input)));
    }
    if (!outputs.some(isCommand)) return Array.isArray(input) ? outputs : { messages: outputs };
    const asUpdate = (message: ToolOutput) => (Array.isArray(input) ? [message] : { messages: [message] });
    // Commands are returned as they are; Sends to the parent graph are merged into one Command.
    const combined: unknown[] = [];
    let toParent: Command | null = null;
    for (const output of outputs) {
      if (!isCommand(output)) combined.push(asUpdate(output));
      else if (output.graph === Command.PARENT && output.goto.length > 0 && output.goto.every((g) => isSend(g))) {
        if (toParent === null) toParent = new Command({ graph: Command.PARENT, goto: [...(output.goto as Send[])] });
        else toParent.goto.push(...output.goto);
      } else combined.push(output);
    }
    if (toParent !== null) combined.push(toParent);
    return combined;
  }

  private async runTool(call: ToolCall, config: Record<string, unknown>, state: unknown): Promise<ToolOutput> {
    const tool = this.byName.get(call.name);
    try {
      if (tool === undefined) throw new Error(`Tool "${call.name}" not found.`);
      // The node's configurable (a getter, so not copied by the spread) reaches the tool, as on LangGraph.js, with
      // the task, so getCurrentTaskInput(config) works inside a tool.
      const configurable = config.configurable as Record<string, unknown> | undefined;
      const runtime = {
        ...config,
        configurable: { ...configurable, [TASK_CONTEXT]: config[TASK_CONTEXT as never] },
        state,
        toolCallId: call.id ?? "",
        config,
        context: config.context,
        store: config.store ?? null,
        writer: config.writer ?? (config.configurable as Record<string, unknown> | undefined)?.writer ?? null,
      };
      const output = await tool.invoke({ ...call, type: "tool_call" }, runtime);
      if ((isBaseMessage(output) && output.getType() === "tool") || isCommand(output)) return output as ToolOutput;
      return new ToolMessage({ status: "success", name: tool.name, content: typeof output === "string" ? output : JSON.stringify(output), tool_call_id: call.id! });
    } catch (error) {
      if (!this.handleToolErrors || isGraphInterrupt(error)) throw error;
      return new ToolMessage({
        status: "error",
        content: `Error: ${(error as Error)?.message}\n Please fix your mistakes.`,
        name: call.name,
        tool_call_id: call.id ?? "",
      });
    }
  }
}

/** Routes to "tools" when the last message has tool calls, else to END. */
export function toolsCondition(state: BaseMessage[] | { messages: BaseMessage[] }): "tools" | typeof END {
  const messages = Array.isArray(state) ? state : state.messages;
  const last = messages[messages.length - 1] as { tool_calls?: unknown[] } | undefined;
  return last !== undefined && "tool_calls" in last && (last.tool_calls?.length ?? 0) > 0 ? "tools" : END;
}
