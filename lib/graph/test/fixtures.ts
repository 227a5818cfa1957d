// The reference cases' graphs (shared/reference/cases), written against Rill's engine, and helpers to
// compare a run's stream with what LangGraph.js 1.7.3 recorded for the same graph.
import { readFileSync } from "node:fs";
import { Annotation, END, MemorySaver, START, StateGraph, interrupt, type NodeConfig } from "../index";

export const REFERENCE_DIR = "/work/shared/reference";

export const JokeState = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });

export function jokeGraph(options: { checkpointer?: MemorySaver; generateJoke?: (s: typeof JokeState.State, c: NodeConfig) => unknown } = {}) {
  const refine_topic = (state: typeof JokeState.State) => ({ topic: state.topic + " and cats" });
  const generate_joke =
    options.generateJoke ??
    ((state: typeof JokeState.State, config: NodeConfig) => {
      config.writer({ custom_key: "Writing custom data while generating a joke" });
      return { joke: `This is a joke about ${state.topic}` };
    });
  return new StateGraph(JokeState)
    .addNode("refine_topic", refine_topic)
    .addNode("generate_joke", generate_joke as (s: typeof JokeState.State, c: NodeConfig) => { joke: string })
    .addEdge(START, "refine_topic")
    .addEdge("refine_topic", "generate_joke")
    .addEdge("generate_joke", END)
    .compile(options.checkpointer ? { checkpointer: options.checkpointer } : {});
}

export function fanoutGraph() {
  const State = Annotation.Root({
    topic: Annotation<string>(),
    items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  });
  return new StateGraph(State)
    .addNode("a", async (s) => {
      await new Promise((r) => setTimeout(r, 20));
      return { items: [`a:${s.topic}`] };
    })
    .addNode("b", async (s) => ({ items: [`b:${s.topic}`] }))
    .addNode("join", (s) => ({ topic: `${s.topic} (${s.items.length} items)` }))
    .addEdge(START, "a")
    .addEdge(START, "b")
    .addEdge(["a", "b"], "join")
    .addEdge("join", END)
    .compile();
}

export function subgraphGraph() {
  const SubState = Annotation.Root({ topic: Annotation<string>(), sub_note: Annotation<string>() });
  const sub = new StateGraph(SubState)
    .addNode("sub_a", (s) => ({ sub_note: `sub_a saw ${s.topic}` }))
    .addNode("sub_b", (s, config) => {
      config.writer({ from: "sub_b" });
      return { topic: s.topic + " (via subgraph)" };
    })
    .addEdge(START, "sub_a")
    .addEdge("sub_a", "sub_b")
    .addEdge("sub_b", END)
    .compile();
  const ParentState = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });
  return new StateGraph(ParentState)
    .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
    .addNode("child", sub)
    .addNode("generate_joke", (s) => ({ joke: `This is a joke about ${s.topic}` }))
    .addEdge(START, "refine_topic")
    .addEdge("refine_topic", "child")
    .addEdge("child", "generate_joke")
    .addEdge("generate_joke", END)
    .compile();
}

export function errorGraph() {
  return new StateGraph(JokeState)
    .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
    .addNode("generate_joke", () => {
      throw new Error("boom in generate_joke");
    })
    .addEdge(START, "refine_topic")
    .addEdge("refine_topic", "generate_joke")
    .addEdge("generate_joke", END)
    .compile();
}

export const ReviewState = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>(), approved: Annotation<string>() });

export function interruptGraph(checkpointer: MemorySaver | null = new MemorySaver()) {
  return new StateGraph(ReviewState)
    .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
    .addNode("review", (s) => {
      const answer = interrupt<{ question: string }, string>({ question: `Approve topic "${s.topic}"?` });
      return { approved: answer };
    })
    .addNode("generate_joke", (s) => ({ joke: `This is a joke about ${s.topic} (approved=${s.approved})` }))
    .addEdge(START, "refine_topic")
    .addEdge("refine_topic", "review")
    .addEdge("review", "generate_joke")
    .addEdge("generate_joke", END)
    .compile(checkpointer ? { checkpointer } : {});
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** JSON lines with ids, interrupt ids and timestamps replaced, so runs can be compared. */
export function normalize(lines: string[]): string[] {
  return lines.map((line) =>
    line
      .replace(UUID, "<id>")
      .replace(/"[0-9a-f]{32}"/g, '"<interrupt-id>"')
      .replace(/"timestamp":"[^"]*"/g, '"timestamp":"<ts>"'),
  );
}

/** The recorded chunks of a reference file (without the trailing `__stream_error__` record). */
export function referenceLines(file: string): { lines: string[]; error: { name: string; message: string } | null } {
  const all = readFileSync(`${REFERENCE_DIR}/${file}`, "utf8").split("\n").filter(Boolean);
  const last = all.length ? JSON.parse(all[all.length - 1]) : null;
  if (last && typeof last === "object" && "__stream_error__" in last) return { lines: all.slice(0, -1), error: last.__stream_error__ };
  return { lines: all, error: null };
}

/** Drains a stream into JSON lines; records what the iteration threw. */
export async function recordStream(make: () => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>): Promise<{ lines: string[]; error: Error | null }> {
  const lines: string[] = [];
  try {
    for await (const chunk of await make()) lines.push(JSON.stringify(chunk));
    return { lines, error: null };
  } catch (error) {
    return { lines, error: error as Error };
  }
}
