// `ToolExecutor` (deprecated in LangGraph.js, kept for old code): invokes the tool named by
// `{ tool, toolInput }`, or answers with a message naming the valid tools.
import { RunnableBinding, RunnableLambda, type RunnableConfig } from "@langchain/core/runnables";
import type { ToolLike } from "./toolNode";

export interface ToolInvocation {
  tool: string;
  toolInput: unknown;
}

const INVALID_TOOL_TEMPLATE = "{requestedToolName} is not a valid tool, try one of {availableToolNamesString}.";

export class ToolExecutor extends RunnableBinding<ToolInvocation, unknown> {
  lc_graph_name = "ToolExecutor";
  tools: ToolLike[];
  toolMap: Record<string, ToolLike>;
  invalidToolMsgTemplate: string;

  constructor(fields: { tools: ToolLike[]; invalidToolMsgTemplate?: string }) {
    const bound = RunnableLambda.from(async (input: ToolInvocation, config?: RunnableConfig) => this.execute(input, config));
    super({ bound, config: {} });
    this.tools = fields.tools;
    this.invalidToolMsgTemplate = fields.invalidToolMsgTemplate ?? INVALID_TOOL_TEMPLATE;
    this.toolMap = Object.fromEntries(this.tools.map((t) => [t.name, t]));
  }

  private async execute(invocation: ToolInvocation, config?: RunnableConfig): Promise<unknown> {
    const tool = this.toolMap[invocation.tool];
    if (tool === undefined) {
      return this.invalidToolMsgTemplate.replace("{requestedToolName}", invocation.tool).replace("{availableToolNamesString}", Object.keys(this.toolMap).join(", "));
    }
    return tool.invoke(invocation.toolInput, config);
  }
}
