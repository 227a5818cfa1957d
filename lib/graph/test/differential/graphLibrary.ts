// The two libraries a differential case runs on. A case is written once, against LangGraph.js's
// types, and receives either module: "the same code with the import changed".
export type GraphLib = typeof import("@langchain/langgraph");

/** What a messages case needs from a chat model: `invoke(messages, config)` resolving to a message. */
export interface ChatModelLike {
  invoke(messages: Array<{ role: string; content: string }>, config?: unknown): Promise<{ content: unknown }>;
}

export interface Side {
  name: "langgraph" | "rill";
  lg: GraphLib;
  /** A scripted chat model that streams the next of `responses` one character per chunk into "messages" mode. */
  chatModel(responses: string[]): ChatModelLike;
  /** A chat model streaming Rill's offline model over HTTP: Rill's ChatOpenAI, or a LangChain model on the same server. */
  offlineChatModel(): ChatModelLike;
}

export async function loadLangGraph(): Promise<Side> {
  const lg = await import("@langchain/langgraph");
  const { FakeListChatModel } = await import("@langchain/core/utils/testing");
  const { OfflineLangChainChatModel } = await import("./offlineLangChainModel");
  return {
    name: "langgraph",
    lg,
    chatModel: (responses) => new FakeListChatModel({ responses }),
    offlineChatModel: () => new OfflineLangChainChatModel({}),
  };
}

export async function loadRill(): Promise<Side> {
  // Rill's types are its own; the cases are typed against LangGraph.js's API, which Rill promises to accept.
  const lg = (await import("../../index")) as unknown as GraphLib;
  const { FakeStreamingChatModel } = await import("./fakeStreamingChatModel");
  const { ChatOpenAI } = await import("../../../llm/index");
  return {
    name: "rill",
    lg,
    chatModel: (responses) => new FakeStreamingChatModel(responses),
    offlineChatModel: () => new ChatOpenAI(),
  };
}
