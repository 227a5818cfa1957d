// A LangChain chat model for tests and the bench: answers with the next of its scripted AIMessages
// (tool calls or text), streaming each as chunks (text character by character, tool calls as one
// tool-call chunk each), so "messages" mode sees tokens. `bindTools` returns a model sharing the script;
// `script.inputs` records what each call was given.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { RunnableLambda } from "@langchain/core/runnables";

export class ScriptedChatModel extends BaseChatModel {
  readonly script: { next: number; replies: AIMessage[]; structured: unknown; inputs: string[][] };

  constructor(replies: AIMessage[], structured: unknown = undefined, script?: ScriptedChatModel["script"]) {
    super({});
    this.script = script ?? { next: 0, replies, structured, inputs: [] };
  }

  _llmType(): string {
    return "scripted";
  }

  private nextReply(): AIMessage {
    const reply = this.script.replies[this.script.next % this.script.replies.length];
    this.script.next += 1;
    return reply;
  }

  override bindTools(): this {
    return this;
  }

  override withStructuredOutput(): never {
    return RunnableLambda.from(() => this.script.structured) as never;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.script.inputs.push(messages.map((m) => `${m.getType()}: ${typeof m.content === "string" ? m.content : "[blocks]"}`));
    const reply = this.nextReply();
    const message = new AIMessage({ content: reply.content, tool_calls: reply.tool_calls });
    return { generations: [{ text: String(reply.content), message }] };
  }

  async *_streamResponseChunks(messages: BaseMessage[], _options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    this.script.inputs.push(messages.map((m) => `${m.getType()}: ${typeof m.content === "string" ? m.content : "[blocks]"}`));
    const reply = this.nextReply();
    const pieces: AIMessageChunk[] = [];
    for (const ch of String(reply.content)) pieces.push(new AIMessageChunk({ content: ch }));
    (reply.tool_calls ?? []).forEach((call, index) =>
      pieces.push(new AIMessageChunk({ content: "", tool_call_chunks: [{ id: call.id, name: call.name, args: JSON.stringify(call.args), index, type: "tool_call_chunk" }] })),
    );
    for (const message of pieces) {
      const chunk = new ChatGenerationChunk({ message, text: String(message.content) });
      yield chunk;
      await runManager?.handleLLMNewToken(String(message.content), undefined, undefined, undefined, undefined, { chunk });
    }
  }
}
