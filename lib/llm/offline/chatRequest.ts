// The part of an OpenAI chat-completions request the offline model reads, validated field by field so a
// bad request gets the same kind of 400 the real API gives, naming the parameter.

export interface OfflineMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** Text content; array content parts are flattened to their text. */
  text: string;
  toolCallId?: string;
}

export interface OfflineTool {
  name: string;
  description?: string;
  parameters?: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  items?: JsonSchema;
}

export type OfflineToolChoice = "none" | "auto" | "required" | { name: string };

export interface OfflineChatRequest {
  model: string;
  messages: OfflineMessage[];
  stream: boolean;
  includeUsage: boolean;
  /** Cap on completion tokens (`max_completion_tokens` or the older `max_tokens`). */
  maxTokens: number | undefined;
  tools: OfflineTool[];
  toolChoice: OfflineToolChoice;
}

export class InvalidRequestError extends Error {
  readonly param: string | null;
  constructor(message: string, param: string | null) {
    super(message);
    this.name = "InvalidRequestError";
    this.param = param;
  }
}

const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

export function parseChatRequest(body: unknown): OfflineChatRequest {
  if (!isObject(body)) throw new InvalidRequestError("The request body must be a JSON object.", null);
  const { model, messages, stream, n } = body;
  if (typeof model !== "string" || model === "") {
    throw new InvalidRequestError("you must provide a model parameter", "model");
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError("'messages' must be a non-empty array of messages.", "messages");
  }
  if (stream !== undefined && stream !== null && typeof stream !== "boolean") {
    throw new InvalidRequestError("'stream' must be a boolean.", "stream");
  }
  if (n !== undefined && n !== null && n !== 1) {
    throw new InvalidRequestError(`The offline model supports only n=1 (got ${describe(n)}).`, "n");
  }
  return {
    model,
    messages: messages.map(parseMessage),
    stream: stream === true,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
    maxTokens: parseMaxTokens(body),
    tools: parseTools(body.tools),
    toolChoice: parseToolChoice(body.tool_choice),
  };
}

function parseMessage(message: unknown, index: number): OfflineMessage {
  const param = `messages[${index}]`;
  if (!isObject(message)) throw new InvalidRequestError(`${param} must be an object with a role.`, param);
  const { role } = message;
  if (typeof role !== "string" || !ROLES.has(role)) {
    throw new InvalidRequestError(
      `${param}.role must be one of system, developer, user, assistant, tool (got ${describe(role)}).`,
      `${param}.role`,
    );
  }
  const parsed: OfflineMessage = { role: role as OfflineMessage["role"], text: contentText(message.content, `${param}.content`) };
  if (role === "tool") {
    if (typeof message.tool_call_id !== "string") {
      throw new InvalidRequestError(`${param}.tool_call_id is required for tool messages.`, `${param}.tool_call_id`);
    }
    parsed.toolCallId = message.tool_call_id;
  }
  return parsed;
}

function contentText(content: unknown, param: string): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) && typeof part.text === "string" ? part.text : "")).join("");
  }
  throw new InvalidRequestError(`${param} must be a string or an array of content parts.`, param);
}

function parseMaxTokens(body: Record<string, unknown>): number | undefined {
  for (const param of ["max_completion_tokens", "max_tokens"] as const) {
    const value = body[param];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new InvalidRequestError(`'${param}' must be a positive integer (got ${describe(value)}).`, param);
    }
    return value;
  }
  return undefined;
}

// OpenAI's own limits: at most 128 tools, names of 1 to 64 characters. Parameters may nest at most
// MAX_SCHEMA_DEPTH levels (deeper ones would overflow the stack where the schema is serialised).
export const MAX_TOOLS = 128;
export const MAX_TOOL_NAME_CHARS = 64;
export const MAX_SCHEMA_DEPTH = 64;

function parseTools(tools: unknown): OfflineTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw new InvalidRequestError("'tools' must be an array.", "tools");
  if (tools.length > MAX_TOOLS) {
    throw new InvalidRequestError(`'tools' has ${tools.length} tools; at most ${MAX_TOOLS} are allowed.`, "tools");
  }
  return tools.map((tool, index) => {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(tool) || tool.type !== "function" || !isObject(fn) || typeof fn.name !== "string") {
      throw new InvalidRequestError(
        `tools[${index}] must be {type: "function", function: {name, parameters}}.`,
        `tools[${index}]`,
      );
    }
    if (fn.name.length === 0 || fn.name.length > MAX_TOOL_NAME_CHARS) {
      const param = `tools[${index}].function.name`;
      throw new InvalidRequestError(`${param} must be 1 to ${MAX_TOOL_NAME_CHARS} characters long (got ${fn.name.length}).`, param);
    }
    if (nestsDeeperThan(fn.parameters, MAX_SCHEMA_DEPTH)) {
      const param = `tools[${index}].function.parameters`;
      throw new InvalidRequestError(`${param} nests deeper than ${MAX_SCHEMA_DEPTH} levels.`, param);
    }
    return {
      name: fn.name,
      description: typeof fn.description === "string" ? fn.description : undefined,
      parameters: isObject(fn.parameters) ? (fn.parameters as JsonSchema) : undefined,
    };
  });
}

function parseToolChoice(choice: unknown): OfflineToolChoice {
  if (choice === undefined || choice === null) return "auto";
  if (choice === "none" || choice === "auto" || choice === "required") return choice;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
    return { name: choice.function.name };
  }
  throw new InvalidRequestError(
    `'tool_choice' must be "none", "auto", "required" or {type: "function", function: {name}}.`,
    "tool_choice",
  );
}

/** Whether objects and arrays in `value` nest more than `limit` levels; a walk with its own stack, not recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** A client's value for an error message: primitives as JSON (strings cut at 100 characters), else their kind. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "string" && value.length > 100) return `${JSON.stringify(value.slice(0, 100))}…`;
  return JSON.stringify(value) ?? String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
