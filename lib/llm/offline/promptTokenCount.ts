// How many tokens a request's prompt is, for the usage the offline model reports. The tokenizer costs about
// a microsecond a character (a 1 MiB prompt of "! ! ! …" took a second), so it counts exactly only the
// first EXACT_COUNT_CHARS characters of the request's text (its messages in order, then its tools as JSON)
// and estimates the rest at CHARS_PER_TOKEN characters a token. Prompts under that size are counted exactly.
import type { OfflineChatRequest } from "./chatRequest";
import { countTokens } from "./tokenize";

export const EXACT_COUNT_CHARS = 16 * 1024;
const CHARS_PER_TOKEN = 4;
// OpenAI's accounting: a few tokens of framing per message, plus priming for the reply.
const TOKENS_PER_MESSAGE = 4;
const REPLY_PRIMING = 3;

export function promptTokenCount(request: OfflineChatRequest): number {
  let exactLeft = EXACT_COUNT_CHARS;
  const count = (text: string): number => {
    if (text.length <= exactLeft) {
      exactLeft -= text.length;
      return countTokens(text);
    }
    const exact = exactLeft > 0 ? countTokens(text.slice(0, exactLeft)) : 0;
    const estimated = Math.ceil((text.length - exactLeft) / CHARS_PER_TOKEN);
    exactLeft = 0;
    return exact + estimated;
  };
  let tokens = REPLY_PRIMING;
  for (const message of request.messages) tokens += TOKENS_PER_MESSAGE + count(message.text);
  if (request.tools.length > 0) tokens += count(JSON.stringify(request.tools));
  return tokens;
}
