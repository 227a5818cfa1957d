// LangGraph.js's side of the "real model" messages case: a LangChain chat model that streams from Rill's
// offline model over HTTP, token for token what Rill's ChatOpenAI receives, as @langchain/openai's
// ChatOpenAI would stream from that server (each delta a chunk, then an empty chunk carrying the finish
// reason and usage). It reports chunks through LangChain callbacks, which is how LangGraph.js's
// "messages" mode sees tokens; Rill's ChatOpenAI reports them to the engine's task context instead.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { ChatOpenAI } from "../../../llm/index";

export class OfflineLangChainChatModel extends BaseChatModel {
  private readonly model = new ChatOpenAI();

  _llmType(): string {
    return "rill-offline";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    // Called outside a run (no task context): one non-streaming request.
    const reply = await this.model.invoke(messages);
    return { generations: [{ text: reply.content, message: new AIMessage({ content: reply.content }) }] };
  }

  async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for await (const chunk of this.model.stream(messages, { signal: options.signal })) {
      const generation = new ChatGenerationChunk({
        message: new AIMessageChunk({
          content: chunk.content,
          response_metadata: chunk.response_metadata ?? {},
          ...(chunk.usage_metadata ? { usage_metadata: chunk.usage_metadata } : {}),
        }),
        text: chunk.content,
      });
      yield generation;
      await runManager?.handleLLMNewToken(chunk.content, undefined, undefined, undefined, undefined, { chunk: generation });
    }
  }
}
