// `createReactAgent`, as in LangGraph.js 1.7.3's prebuilt: an "agent" node calls the chat model (with
// the tools bound, behind the prompt), a "tools" node (ToolNode) runs its tool calls, and the loop ends
// when the model answers without tool calls (then, with `responseFormat`, a last
// "generate_structured_response" node asks the model for the structured answer). Options: llm (a chat
// model, a model with tools already bound, or `(state, config) => model`), tools (a list or a ToolNode),
// prompt (string, SystemMessage, function or Runnable; or the older stateModifier / messageModifier),
// stateSchema, checkpointer (checkpointSaver), interruptBefore / interruptAfter, responseFormat, name,
// version ("v1": one tools step for all calls; "v2": one Send per call), preModelHook, postModelHook,
// includeAgentName. store and contextSchema are accepted and ignored. With preModelHook the agent node
// reads LangGraph.js's private `llmInputMessages` key (not in "values" nor the result).
import { SystemMessage, isAIMessage, isBaseMessage, isToolMessage, type AIMessage, type BaseMessage } from "@langchain/core/messages";
import { Runnable, RunnableBinding, RunnableLambda, RunnableSequence, type RunnableLike } from "@langchain/core/runnables";
import { Annotation, type AnnotationRoot, type StateDefinition } from "../annotation";
import type { BaseCheckpointSaver } from "../checkpoint/base";
import { END, START } from "../constants";
import { messagesStateReducer, type Messages } from "../messagesState";
import { Send } from "../send";
import { StateGraph } from "../stateGraph";
import { withAgentName } from "./agentName";
import { ToolNode, type ToolLike } from "./toolNode";

type AnyRecord = Record<string, any>;
type ChatModel = AnyRecord & { invoke(input: unknown, config?: unknown): Promise<unknown> };
type Prompt = string | SystemMessage | ((state: AnyRecord, config?: unknown) => unknown) | Runnable;

export interface CreateReactAgentParams {
  llm: ChatModel | ((state: AnyRecord, config: unknown) => ChatModel | Promise<ChatModel>);
  tools: ToolLike[] | ToolNode;
  prompt?: Prompt;
  /** @deprecated use prompt */
  stateModifier?: Prompt;
  /** @deprecated use prompt */
  messageModifier?: string | SystemMessage | ((messages: BaseMessage[]) => unknown) | Runnable;
  stateSchema?: AnnotationRoot<any>;
  checkpointer?: BaseCheckpointSaver | false;
  /** @deprecated use checkpointer */
  checkpointSaver?: BaseCheckpointSaver | false;
  interruptBefore?: Array<"agent" | "tools" | string>;
  interruptAfter?: Array<"agent" | "tools" | string>;
  /** A schema for the model's `withStructuredOutput`, or `{ schema, prompt?, ...options }`. */
  responseFormat?: unknown;
  postModelHook?: RunnableLike | ((state: any, config?: any) => unknown);
  /** Runs before each model call; may return `{ llmInputMessages }` to send the model those instead of `messages`. */
  preModelHook?: RunnableLike | ((state: any, config?: any) => unknown);
  name?: string;
  description?: string;
  version?: "v1" | "v2";
  includeAgentName?: "inline";
  store?: unknown;
  contextSchema?: unknown;
}

/** The agent's default state: `messages` (the messages reducer) and `structuredResponse`. */
export const createReactAgentAnnotation = () =>
  Annotation.Root({
    messages: Annotation<BaseMessage[], Messages>({ reducer: messagesStateReducer as never, default: () => [] }),
    structuredResponse: Annotation<unknown>(),
  });

/** The private key a preModelHook writes the model's input to (replaced, not appended, on each write). */
const preModelHookAnnotation = () =>
  Annotation.Root({
    llmInputMessages: Annotation<BaseMessage[], Messages>({ reducer: ((_: unknown, update: Messages) => messagesStateReducer([], update)) as never, default: () => [] }),
  });

/** What the prompt and model see: `llmInputMessages` (when a preModelHook set some) as `messages`. */
function modelInputState(state: AnyRecord): AnyRecord {
  const { messages, llmInputMessages, ...rest } = state;
  return llmInputMessages != null && llmInputMessages.length > 0 ? { messages: llmInputMessages, ...rest } : { messages, ...rest };
}

const PROMPT_RUNNABLE_NAME = "prompt";

function promptRunnable(prompt: Prompt | undefined): Runnable {
  if (prompt === undefined || prompt === null) return RunnableLambda.from((state: AnyRecord) => state.messages).withConfig({ runName: PROMPT_RUNNABLE_NAME });
  if (typeof prompt === "string") {
    const system = new SystemMessage(prompt);
    return RunnableLambda.from((state: AnyRecord) => [system, ...(state.messages ?? [])]).withConfig({ runName: PROMPT_RUNNABLE_NAME });
  }
  if (isBaseMessage(prompt) && prompt.getType() === "system") {
    return RunnableLambda.from((state: AnyRecord) => [prompt, ...state.messages]).withConfig({ runName: PROMPT_RUNNABLE_NAME });
  }
  if (typeof prompt === "function") return RunnableLambda.from(prompt as (state: AnyRecord) => unknown).withConfig({ runName: PROMPT_RUNNABLE_NAME });
  if (Runnable.isRunnable(prompt)) return prompt;
  throw new Error(`Got unexpected type for 'prompt': ${typeof prompt}`);
}

/** The prompt as a plain function when it is one of the simple kinds (none, string, SystemMessage); else null. */
function plainPrompt(params: CreateReactAgentParams): ((state: AnyRecord, config: unknown) => Promise<unknown> | unknown) | null {
  const { prompt, stateModifier, messageModifier } = params;
  if (stateModifier != null || messageModifier != null) return null;
  if (prompt == null) return (state) => state.messages;
  if (typeof prompt === "string") {
    const system = new SystemMessage(prompt);
    return (state) => [system, ...(state.messages ?? [])];
  }
  if (isBaseMessage(prompt) && prompt.getType() === "system") return (state) => [prompt, ...state.messages];
  return null;
}

const TRACING_ENV = ["LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGSMITH_TRACING", "LANGCHAIN_TRACING"];

function langChainTracingEnabled(): boolean {
  for (const name of TRACING_ENV) if (process.env[name] === "true") return true;
  return false;
}

function choosePrompt(params: CreateReactAgentParams): Runnable {
  const { prompt, stateModifier, messageModifier } = params;
  if ([prompt, stateModifier, messageModifier].filter((p) => p != null).length > 1) {
    throw new Error("Expected only one of prompt, stateModifier, or messageModifier, got multiple values");
  }
  if (stateModifier != null) return promptRunnable(stateModifier);
  if (messageModifier != null) {
    if (typeof messageModifier === "string" || (isBaseMessage(messageModifier) && messageModifier.getType() === "system")) return promptRunnable(messageModifier as Prompt);
    if (typeof messageModifier === "function") return promptRunnable(async (state: AnyRecord) => messageModifier(state.messages));
    if (Runnable.isRunnable(messageModifier)) return RunnableLambda.from((state: AnyRecord) => state.messages).pipe(messageModifier);
    throw new Error(`Unexpected type for messageModifier: ${typeof messageModifier}`);
  }
  return promptRunnable(prompt);
}

function isChatModel(model: unknown): model is ChatModel {
  return model !== null && typeof model === "object" && typeof (model as ChatModel).invoke === "function" && "_modelType" in (model as object);
}

function isConfigurableModel(model: unknown): model is ChatModel & { _model(): Promise<ChatModel> } {
  return model !== null && typeof model === "object" && "_queuedMethodOperations" in model && typeof (model as AnyRecord)._model === "function";
}

function modelStep(model: unknown): unknown {
  if (RunnableSequence.isRunnableSequence(model)) {
    return model.steps.find((step) => RunnableBinding.isRunnableBinding(step) || isChatModel(step) || isConfigurableModel(step)) ?? model;
  }
  return model;
}

function toolName(tool: AnyRecord): string | undefined {
  if (tool.type === "function") return tool.function?.name;
  if ("name" in tool) return tool.name;
  return tool.toolSpec?.name;
}

/** False when `llm` already has tools bound (they must then be the agent's tools), true when they are to be bound. */
async function shouldBindTools(llm: unknown, tools: ToolLike[]): Promise<boolean> {
  let model = modelStep(llm);
  if (isConfigurableModel(model)) model = await model._model();
  if (!RunnableBinding.isRunnableBinding(model)) return true;
  const binding = model as unknown as { kwargs?: AnyRecord; config?: AnyRecord };
  let bound: AnyRecord[] | null = Array.isArray(binding.kwargs?.tools) ? binding.kwargs!.tools : Array.isArray(binding.config?.tools) ? binding.config!.tools : null;
  if (bound !== null && bound.length === 1 && "functionDeclarations" in bound[0]) bound = bound[0].functionDeclarations;
  if (bound === null) return true;
  if (tools.length !== bound.length) throw new Error("Number of tools in the model.bindTools() and tools passed to createReactAgent must match");
  const boundNames = new Set(bound.map(toolName).filter((n) => n));
  const missing = tools.map((t) => t.name).filter((n) => !boundNames.has(n));
  if (missing.length > 0) {
    throw new Error(`Missing tools '${missing}' in the model.bindTools().Tools in the model.bindTools() must match the tools passed to createReactAgent.`);
  }
  return false;
}

function bindToolsSimply(llm: unknown, tools: ToolLike[]): Runnable | null {
  if (isChatModel(llm) && typeof llm.bindTools === "function") return llm.bindTools(tools);
  if (RunnableBinding.isRunnableBinding(llm)) {
    const outer = llm as unknown as { bound: unknown; config: AnyRecord; kwargs: AnyRecord; configFactories?: unknown };
    if (isChatModel(outer.bound) && typeof outer.bound.bindTools === "function") {
      const inner = outer.bound.bindTools(tools);
      if (RunnableBinding.isRunnableBinding(inner)) {
        const i = inner as unknown as { bound: Runnable; config: AnyRecord; kwargs: AnyRecord; configFactories?: unknown };
        return new RunnableBinding({ bound: i.bound, config: { ...outer.config, ...i.config }, kwargs: { ...outer.kwargs, ...i.kwargs }, configFactories: (i.configFactories ?? outer.configFactories) as never });
      }
      return new RunnableBinding({ bound: inner, config: outer.config, kwargs: outer.kwargs, configFactories: outer.configFactories as never });
    }
  }
  return null;
}

async function bindTools(llm: unknown, tools: ToolLike[]): Promise<Runnable> {
  const direct = bindToolsSimply(llm, tools);
  if (direct) return direct;
  if (isConfigurableModel(llm)) {
    const viaModel = bindToolsSimply(await llm._model(), tools);
    if (viaModel) return viaModel;
  }
  if (RunnableSequence.isRunnableSequence(llm)) {
    const at = llm.steps.findIndex((step) => RunnableBinding.isRunnableBinding(step) || isChatModel(step) || isConfigurableModel(step));
    const bound = at >= 0 ? bindToolsSimply(llm.steps[at], tools) : null;
    if (bound) {
      const steps = llm.steps.slice();
      steps.splice(at, 1, bound);
      return RunnableSequence.from(steps as never);
    }
  }
  throw new Error(`llm ${llm} must define bindTools method.`);
}

async function baseChatModel(llm: unknown): Promise<ChatModel> {
  let model = modelStep(llm);
  if (isConfigurableModel(model)) model = await model._model();
  if (RunnableBinding.isRunnableBinding(model)) model = (model as unknown as { bound: unknown }).bound;
  if (!isChatModel(model)) {
    throw new Error(`Expected \`llm\` to be a ChatModel or RunnableBinding (e.g. llm.bind_tools(...)) with invoke() and generate() methods, got ${(model as object)?.constructor?.name}`);
  }
  return model;
}

/** The last AI message's tool calls that no ToolMessage answers yet. */
function pendingToolCalls(messages: BaseMessage[]) {
  const answered = new Set(messages.filter(isToolMessage).map((m) => m.tool_call_id));
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isAIMessage(m)) return (m.tool_calls ?? []).filter((call) => call.id == null || !answered.has(call.id));
  }
  return [];
}

function withoutNulls(map: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v != null)) as Record<string, string>;
}

export function createReactAgent(params: CreateReactAgentParams) {
  const { llm, tools, stateSchema, responseFormat, preModelHook, postModelHook, name, version = "v1" } = params;
  const entrypoint = preModelHook != null ? "pre_model_hook" : "agent";
  const toolNode = Array.isArray(tools) ? new ToolNode(tools.filter((t) => Runnable.isRunnable(t))) : tools;
  const toolList = Array.isArray(tools) ? tools : tools.tools;
  const returnDirect = new Set(toolList.filter((t) => Runnable.isRunnable(t) && t.returnDirect).map((t) => t.name));

  const named = (model: Runnable) => (params.includeAgentName === "inline" ? withAgentName(model, "inline") : model);
  let staticModel: { withTools: Runnable; sequence: Runnable } | null = null;
  const staticModelFor = async () => {
    if (staticModel === null) {
      const bound = (await shouldBindTools(llm, toolList)) ? await bindTools(llm, toolList) : (llm as unknown as Runnable);
      const withTools = named(bound);
      staticModel = { withTools, sequence: choosePrompt(params).pipe(withTools) };
    }
    return staticModel;
  };
  // Read when the agent is built: the process environment is slow to read (a few µs a step otherwise).
  const directPrompt = langChainTracingEnabled() ? null : plainPrompt(params);

  const agent = async (state: AnyRecord, config: Record<string, unknown>) => {
    let response: AIMessage;
    if (typeof llm === "function") {
      response = (await choosePrompt(params).pipe(named((await llm(state, config)) as Runnable)).invoke(modelInputState(state), config as never)) as AIMessage;
    } else {
      const model = await staticModelFor();
      // Nobody listens to LangChain callbacks (no handler in the config: the run does not stream "messages"
      // and the caller passed none; LangSmith tracing was off when the agent was built): the prompt then the
      // model, without the RunnableSequence around them, whose only effect would be callback events.
      // Measured: about 40% of a step of bench (d) (78 -> 46 µs, quiet moment, this machine).
      response = (
        directPrompt !== null && config.callbacks == null
          ? await model.withTools.invoke(await directPrompt(modelInputState(state), config), config as never)
          : await model.sequence.invoke(modelInputState(state), config as never)
      ) as AIMessage;
    }
    response.name = name;
    response.lc_kwargs.name = name;
    return { messages: [response] };
  };

  const generateStructuredResponse = async (state: AnyRecord, config: unknown) => {
    const messages: BaseMessage[] = [...state.messages];
    const model = typeof llm === "function" ? await llm(state, config) : await baseChatModel(llm);
    if (!isChatModel(model)) throw new Error(`Expected \`llm\` to be a ChatModel with .withStructuredOutput() method, got ${(model as object | undefined)?.constructor?.name}`);
    let structured: Runnable;
    if (responseFormat !== null && typeof responseFormat === "object" && "schema" in responseFormat) {
      const { prompt, schema, ...options } = responseFormat as { prompt?: string; schema: unknown };
      structured = model.withStructuredOutput(schema, options);
      if (prompt != null) messages.unshift(new SystemMessage({ content: prompt }));
    } else structured = model.withStructuredOutput(responseFormat);
    const response = await structured.invoke(messages, config as never);
    if (response == null) {
      throw new Error("Failed to parse structured response against the provided `responseFormat` schema: the structured-output parser returned null/undefined, which usually means the model output did not satisfy the schema.");
    }
    return { structuredResponse: response };
  };

  // Any state schema (Annotation, StateSchema, zod); a preModelHook's `llmInputMessages` is a private key the
  // agent node reads (its input schema), so it is not in the graph's output.
  const workflow = new StateGraph((stateSchema ?? createReactAgentAnnotation()) as AnnotationRoot<StateDefinition>);
  if (!("messages" in workflow.channels)) throw new Error("Missing required `messages` key in state schema.");
  const agentInput = preModelHook != null ? Annotation.Root({ ...workflow.channels, ...preModelHookAnnotation().spec } as StateDefinition) : undefined;
  const graph = workflow as unknown as StateGraph<StateDefinition, string>;
  graph.addNode("tools", toolNode).addNode("agent", agent, agentInput === undefined ? undefined : { input: agentInput });
  if (preModelHook != null) graph.addNode("pre_model_hook", preModelHook as never).addEdge("pre_model_hook", "agent");
  graph.addEdge(START, entrypoint);

  const toolsRoute = (state: AnyRecord, calls: ReturnType<typeof pendingToolCalls>) =>
    version === "v2" ? calls.map((call) => new Send("tools", { ...state, lg_tool_call: call })) : "tools";

  if (postModelHook != null) {
    graph.addNode("post_model_hook", postModelHook as never).addEdge("agent", "post_model_hook");
    graph.addConditionalEdges(
      "post_model_hook",
      (state: AnyRecord) => {
        const messages: BaseMessage[] = state.messages;
        const calls = pendingToolCalls(messages);
        if (calls.length > 0) return toolsRoute(state, calls);
        const last = messages[messages.length - 1];
        if (last && isToolMessage(last)) return entrypoint;
        return responseFormat != null ? "generate_structured_response" : END;
      },
      withoutNulls({ tools: "tools", [entrypoint]: entrypoint, generate_structured_response: responseFormat != null ? "generate_structured_response" : null, [END]: responseFormat != null ? null : END }),
    );
  }
  if (responseFormat !== undefined) graph.addNode("generate_structured_response", generateStructuredResponse).addEdge("generate_structured_response", END);
  if (postModelHook == null) {
    graph.addConditionalEdges(
      "agent",
      (state: AnyRecord) => {
        const last = state.messages[state.messages.length - 1];
        if (!isAIMessage(last) || !last.tool_calls?.length) return responseFormat != null ? "generate_structured_response" : END;
        return toolsRoute(state, last.tool_calls);
      },
      withoutNulls({ tools: "tools", generate_structured_response: responseFormat != null ? "generate_structured_response" : null, [END]: responseFormat != null ? null : END }),
    );
  }
  if (returnDirect.size > 0) {
    graph.addConditionalEdges(
      "tools",
      (state: AnyRecord) => {
        for (let i = state.messages.length - 1; i >= 0; i--) {
          const m = state.messages[i];
          if (!isToolMessage(m)) break;
          if (m.name !== undefined && returnDirect.has(m.name)) return END;
        }
        return entrypoint;
      },
      withoutNulls({ [entrypoint]: entrypoint, [END]: END }),
    );
  } else graph.addEdge("tools", entrypoint);

  return graph.compile({
    checkpointer: params.checkpointer ?? params.checkpointSaver,
    interruptBefore: params.interruptBefore,
    interruptAfter: params.interruptAfter,
    name,
  });
}
