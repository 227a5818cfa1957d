// `withAgentName(model, "inline")`, as in LangGraph.js's prebuilt (createReactAgent's includeAgentName):
// before the model, every named AI message's text is wrapped as `<name>N</name><content>C</content>` (so a
// model that ignores `name` still sees who spoke); after it, the reply's wrapping is taken off again and
// its name restored.
import { AIMessage, isAIMessage, isAIMessageChunk, isBaseMessage, type BaseMessage, type MessageContent } from "@langchain/core/messages";
import { RunnableLambda, RunnableSequence, type Runnable } from "@langchain/core/runnables";

const NAME_PATTERN = /<name>(.*?)<\/name>/s;
const CONTENT_PATTERN = /<content>(.*?)<\/content>/s;

type ContentBlock = string | { type?: string; text?: string; [key: string]: unknown };

function fieldsOf(message: BaseMessage): Record<string, unknown> {
  return Object.keys(message.lc_kwargs ?? {}).length > 0 ? message.lc_kwargs : (message as unknown as Record<string, unknown>);
}

const wrap = (name: string, text: string) => `<name>${name}</name><content>${text}</content>`;

export function addInlineAgentName(message: BaseMessage): BaseMessage {
  const isAI = isBaseMessage(message) && (isAIMessage(message) || isAIMessageChunk(message as never));
  if (!isAI || !message.name) return message;
  const name = message.name;
  if (typeof message.content === "string") return new AIMessage({ ...fieldsOf(message), content: wrap(name, message.content), name: undefined });
  const blocks: ContentBlock[] = [];
  let texts = 0;
  for (const block of message.content as ContentBlock[]) {
    if (typeof block === "string") {
      texts++;
      blocks.push(wrap(name, block));
    } else if (typeof block === "object" && block.type === "text") {
      texts++;
      blocks.push({ ...block, text: wrap(name, String(block.text)) });
    } else blocks.push(block);
  }
  if (texts === 0) blocks.unshift({ type: "text", text: wrap(name, "") });
  return new AIMessage({ ...message.lc_kwargs, content: blocks as MessageContent, name: undefined });
}

export function removeInlineAgentName(message: BaseMessage): BaseMessage {
  if (!isAIMessage(message) || !message.content) return message;
  let name: string | undefined;
  let content: MessageContent;
  if (Array.isArray(message.content)) {
    content = (message.content as ContentBlock[])
      .filter((block) => {
        if (typeof block !== "object" || block.type !== "text" || typeof block.text !== "string") return true;
        const nameMatch = block.text.match(NAME_PATTERN);
        const contentMatch = block.text.match(CONTENT_PATTERN);
        if (nameMatch && (!contentMatch || contentMatch[1] === "")) {
          name = nameMatch[1];
          return false;
        }
        return true;
      })
      .map((block) => {
        if (typeof block !== "object" || block.type !== "text" || typeof block.text !== "string") return block;
        const nameMatch = block.text.match(NAME_PATTERN);
        const contentMatch = block.text.match(CONTENT_PATTERN);
        if (!nameMatch || !contentMatch) return block;
        name = nameMatch[1];
        return { ...block, text: contentMatch[1] };
      }) as MessageContent;
  } else {
    const nameMatch = message.content.match(NAME_PATTERN);
    const contentMatch = message.content.match(CONTENT_PATTERN);
    if (!nameMatch || !contentMatch) return message;
    name = nameMatch[1];
    content = contentMatch[1];
  }
  return new AIMessage({ ...fieldsOf(message), content, name });
}

export function withAgentName(model: Runnable, agentNameMode: "inline"): Runnable {
  if (agentNameMode !== "inline") throw new Error(`Invalid agent name mode: ${agentNameMode}. Needs to be one of: "inline"`);
  return RunnableSequence.from([
    RunnableLambda.from((messages: BaseMessage[]) => messages.map(addInlineAgentName)),
    model,
    RunnableLambda.from(removeInlineAgentName),
  ]);
}
