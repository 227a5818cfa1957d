// Test-only graph for the playground's UI benchmark (e2e/bench): one node in a loop that streams
// `tokensPerStep` message chunks per step at a steady `rate` (tokens per second over the whole run),
// each token's content carrying the wall-clock time (ms, sub-ms precision) it was emitted. The browser
// reads that time back when the token is painted, so emit-to-paint latency is measured end to end
// through the engine, the run server, the WebSocket and React. 10,000 tokens at 4 per step is 2,500
// steps: 5,000 debug events. Registered only when RILL_TEST_GRAPHS=1.
// `chat-flood` is the same flood in a message graph (a `messages` key, a user message as input): the
// playground shows it in its chat view, each step's tokens one assistant reply streaming into its bubble and
// then written to the state, as a chat model's reply is, so the bench holds the chat view to the same goals.
// `nested-flood` runs the token flood as a subgraph (one outer node): the playground's timeline shows its
// tasks nested under the outer task, which the bench holds to the same goals.
import { z } from "zod";
import { Annotation, END, START, StateGraph, type LangGraphRunnableConfig } from "../lib/graph";
import { getTaskContext } from "../lib/graph/taskContext";
import type { GraphDefinition } from "./graphDefinition";

const floodKeys = {
  tokens: Annotation<number>(),
  tokensPerStep: Annotation<number>(),
  rate: Annotation<number>(),
  emitted: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  startedAt: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
};
const FloodState = Annotation.Root(floodKeys);
const ChatFloodState = Annotation.Root({
  ...floodKeys,
  messages: Annotation<unknown[]>({ reducer: (old, next) => old.concat(next), default: () => [] }),
});

const floodFields = {
  tokens: z.number().int().min(1).max(50_000).describe("How many tokens to stream in total"),
  tokensPerStep: z.number().int().min(1).max(1_000).describe("Tokens per step (one message per step)"),
  rate: z.number().min(1).max(20_000).describe("Tokens per second over the whole run"),
};
const input = z.strictObject(floodFields);
const chatInput = z.strictObject({
  ...floodFields,
  messages: z.array(z.strictObject({ role: z.literal("user"), content: z.string().max(1_000) })).min(1).max(1).describe("The user's message"),
});

const now = () => performance.timeOrigin + performance.now();

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The token text: `<index>@<emitted at, epoch ms>` then a space. The bench parses it back. */
export function floodToken(index: number, emittedAt: number): string {
  return `${index}@${emittedAt.toFixed(3)} `;
}

export const tokenFloodGraph: GraphDefinition<typeof input> = {
  id: "token-flood",
  title: "Token flood (benchmark)",
  description: "Test graph: streams `tokens` timestamped tokens at `rate` per second, `tokensPerStep` per step, for the UI benchmark.",
  input,
  exampleInput: { tokens: 10_000, tokensPerStep: 4, rate: 1_000 },
  usesModel: false,
  build: () => floodGraph(false),
};

export const chatFloodGraph: GraphDefinition<typeof chatInput> = {
  id: "chat-flood",
  title: "Chat flood (benchmark)",
  description: "Test graph: the token flood as a message graph's replies (one per step), for the UI benchmark's chat view.",
  input: chatInput,
  exampleInput: { tokens: 5_000, tokensPerStep: 1_000, rate: 1_000, messages: [{ role: "user", content: "Flood me" }] },
  usesModel: false,
  build: () => floodGraph(true),
};

export const nestedFloodGraph: GraphDefinition<typeof input> = {
  id: "nested-flood",
  title: "Nested flood (benchmark)",
  description: "Test graph: the token flood inside a subgraph, for the UI benchmark's nested timeline.",
  input,
  exampleInput: { tokens: 5_000, tokensPerStep: 4, rate: 1_000 },
  usesModel: false,
  build: () => new StateGraph(FloodState).addNode("flood", floodGraph(false)).addEdge(START, "flood").addEdge("flood", END).compile(),
};

type FloodValues = { tokens: number; tokensPerStep: number; rate: number; emitted: number; startedAt: number };

function floodGraph(chat: boolean) {
  const speak = async (state: FloodValues, config: LangGraphRunnableConfig) => {
    const context = getTaskContext(config);
    const startedAt = state.startedAt || now();
    const count = Math.min(state.tokensPerStep, state.tokens - state.emitted);
    const messageId = `flood-${state.emitted}`;
    const reply: string[] = [];
    for (let k = 0; k < count; k++) {
      const index = state.emitted + k;
      const wait = startedAt + (index * 1000) / state.rate - now();
      if (wait >= 1) await sleep(wait, context?.signal);
      if (context?.signal?.aborted) break;
      const token = floodToken(index, now());
        if (chat) reply.push(token);
      if (context?.streamsMessages) {
        context.emitMessage(
          { type: "AIMessageChunk", id: messageId, content: token, tool_call_chunks: [] },
          { ...context.metadata, ls_provider: "rill", ls_model_name: "token-flood", ls_model_type: "chat" },
        );
      }
    }
    const written = { emitted: state.emitted + count, startedAt };
    return chat ? { ...written, messages: [{ type: "ai", id: messageId, content: reply.join("") }] } : written;
  };
  const more = (state: FloodValues) => (state.emitted < state.tokens ? "speak" : END);
  if (chat) {
    return new StateGraph(ChatFloodState).addNode("speak", speak).addEdge(START, "speak").addConditionalEdges("speak", more, ["speak", END]).compile();
  }
  return new StateGraph(FloodState).addNode("speak", speak).addEdge(START, "speak").addConditionalEdges("speak", more, ["speak", END]).compile();
}
