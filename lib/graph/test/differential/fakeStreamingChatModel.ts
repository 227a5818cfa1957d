// Rill's counterpart of @langchain/core's FakeListChatModel, for the differential test only: it answers
// with the next canned response and reports it one character per chunk to the calling task's context,
// as FakeListChatModel does through LangChain callbacks when LangGraph.js streams "messages".
// The real ChatOpenAI (lib/llm) against the offline model is compared too, in cases/offlineModelMessages.ts;
// this scripted model stays because FakeListChatModel is what the reference (messages.jsonl) was recorded with.
import { randomUUID } from "node:crypto";
import type { AIMessage, AIMessageChunk } from "../../messages";
import { getTaskContext } from "../../taskContext";
import type { ChatModelLike } from "./graphLibrary";

export class FakeStreamingChatModel implements ChatModelLike {
  private next = 0;

  constructor(private readonly responses: string[]) {}

  async invoke(_messages: Array<{ role: string; content: string }>, config?: unknown): Promise<AIMessage> {
    const content = this.responses[this.next % this.responses.length] ?? "";
    this.next += 1;
    const id = `run-${randomUUID()}`;
    const context = getTaskContext(config as object | undefined);
    if (context?.streamsMessages) {
      for (const char of content) {
        // A real model awaits the network between tokens; yield to the event loop likewise.
        await Promise.resolve();
        const chunk: AIMessageChunk = { type: "AIMessageChunk", id, content: char, tool_call_chunks: [] };
        context.emitMessage(chunk, { ...context.metadata, ls_provider: "FakeListChatModel", ls_model_type: "chat" });
      }
    }
    return { type: "ai", id, content, tool_calls: [] };
  }
}
