// Cross-wiring, the other way: LangGraph.js's own engine (@langchain/langgraph 1.7.3) checkpointing
// through Rill's MemorySaver. Each scenario runs twice on LangGraph's engine, once with LangGraph's
// MemorySaver and once with Rill's, and what the user sees (results, getState, getStateHistory,
// updateState, forks, subgraph state) must be the same, ids and timestamps aside.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, END, MemorySaver as LangGraphMemorySaver, START, Send, StateGraph, interrupt } from "@langchain/langgraph";
import type { BaseCheckpointSaver as LangGraphSaver } from "@langchain/langgraph-checkpoint";
import { MemorySaver } from "./memory/memorySaver";

type Saver = LangGraphSaver;
const savers: Array<[string, () => Saver]> = [
  ["LangGraph's MemorySaver", () => new LangGraphMemorySaver()],
  // Typed as LangGraph's saver: Rill's MemorySaver is accepted wherever LangGraph expects one.
  ["Rill's MemorySaver", (): Saver => new MemorySaver()],
];

interface Snapshot {
  values: unknown;
  next: string[];
  tasks: Array<{ name: string; interrupts: Array<{ value?: unknown }>; state?: unknown }>;
  metadata?: { source?: string; step?: number };
}

interface View {
  values: unknown;
  next: string[];
  tasks: Array<{ name: string; interrupts: unknown[]; state: View | undefined }>;
  source: string | undefined;
  step: number | undefined;
}

/** What a user compares: no ids, no timestamps (a subgraph task's state too, when it is a snapshot). */
function view(snapshot: Snapshot): View {
  const isSnapshot = (state: unknown): state is Snapshot => typeof state === "object" && state !== null && "values" in state;
  return {
    values: snapshot.values,
    next: snapshot.next,
    tasks: snapshot.tasks.map((t) => ({ name: t.name, interrupts: t.interrupts.map((i) => i.value), state: isSnapshot(t.state) ? view(t.state) : undefined })),
    source: snapshot.metadata?.source,
    step: snapshot.metadata?.step,
  };
}

async function history(graph: { getStateHistory(config: object): AsyncIterable<Snapshot> }, config: object) {
  const out = [];
  for await (const snapshot of graph.getStateHistory(config)) out.push(view(snapshot));
  return out;
}

/** Runs `scenario` with each saver and checks both give the same transcript. */
async function sameWithEitherSaver(scenario: (saver: Saver) => Promise<unknown[]>): Promise<unknown[]> {
  const transcripts = [];
  for (const [, make] of savers) transcripts.push(await scenario(make()));
  assert.deepEqual(transcripts[1], transcripts[0]);
  return transcripts[1];
}

describe("LangGraph.js's engine with Rill's MemorySaver", () => {
  const Review = Annotation.Root({ topic: Annotation<string>(), approved: Annotation<string>() });
  const reviewGraph = (saver: Saver) =>
    new StateGraph(Review)
      .addNode("refine", (s) => ({ topic: `${s.topic}!` }))
      .addNode("review", () => ({ approved: interrupt<string, string>("ok?") }))
      .addEdge(START, "refine")
      .addEdge("refine", "review")
      .addEdge("review", END)
      .compile({ checkpointer: saver });

  it("interrupts, resumes, and shows the same state and history", async () => {
    const transcript = await sameWithEitherSaver(async (saver) => {
      const graph = reviewGraph(saver);
      const config = { configurable: { thread_id: "r" } };
      const out: unknown[] = [];
      out.push(((await graph.invoke({ topic: "t" }, config)) as { __interrupt__?: Array<{ value?: unknown }> }).__interrupt__?.map((i) => i.value));
      out.push(view(await graph.getState(config)));
      out.push(await graph.invoke(new Command({ resume: "yes" }), config));
      out.push(view(await graph.getState(config)));
      out.push(await history(graph, config));
      return out;
    });
    assert.deepEqual(transcript[0], ["ok?"]);
    assert.deepEqual(transcript[2], { topic: "t!", approved: "yes" });
  });

  it("updates the state, forks from an earlier checkpoint and replays it, the same way", async () => {
    const transcript = await sameWithEitherSaver(async (saver) => {
      const graph = reviewGraph(saver);
      const config = { configurable: { thread_id: "f" } };
      const out: unknown[] = [];
      await graph.invoke({ topic: "t" }, config);
      await graph.updateState(config, { approved: "by hand" }, "review");
      out.push(view(await graph.getState(config)));
      let beforeRefine: { config: object } | undefined;
      for await (const snapshot of graph.getStateHistory(config)) if (snapshot.next[0] === "refine") beforeRefine = snapshot;
      const forked = await graph.updateState(beforeRefine!.config, { topic: "other" });
      out.push(view(await graph.getState(forked)));
      out.push(((await graph.invoke(null, forked)) as { __interrupt__?: unknown[] }).__interrupt__?.length);
      out.push(await graph.invoke(new Command({ resume: "fork ok" }), config));
      out.push(await history(graph, config));
      return out;
    });
    assert.deepEqual((transcript[0] as View).values, { topic: "t!", approved: "by hand" });
    assert.deepEqual((transcript[1] as View).next, ["refine"]);
    assert.deepEqual(transcript[3], { topic: "other!", approved: "fork ok" });
    assert.deepEqual((transcript[4] as View[]).map((s) => s.source), ["loop", "loop", "update", "update", "loop", "loop", "input"], "the fork keeps the original history");
  });

  it("keeps Sends, parallel interrupts and finished tasks' writes across a resume", async () => {
    const transcript = await sameWithEitherSaver(async (saver) => {
      const State = Annotation.Root({
        items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
        answer: Annotation<string>(),
      });
      const graph = new StateGraph(State)
        .addNode("fan", () => ({}))
        .addNode("work", (arg: { item: string }) => ({ items: [`${arg.item}:${interrupt<string, string>(`item ${arg.item}?`)}`] }))
        .addNode("side", () => ({ items: ["side"] }))
        .addEdge(START, "fan")
        .addEdge(START, "side")
        .addConditionalEdges("fan", () => [new Send("work", { item: "x" }), new Send("work", { item: "y" })])
        .compile({ checkpointer: saver });
      const config = { configurable: { thread_id: "s" } };
      const out: unknown[] = [];
      await graph.invoke({ items: [] }, config);
      const paused = await graph.getState(config);
      out.push(view(paused));
      const ids = Object.fromEntries(paused.tasks.flatMap((t) => t.interrupts.map((i) => [String(i.value), i.id!])));
      out.push(await graph.invoke(new Command({ resume: { [ids["item x?"]]: "X", [ids["item y?"]]: "Y" } }), config));
      out.push(await history(graph, config));
      return out;
    });
    assert.deepEqual((transcript[0] as View).tasks.map((t) => t.interrupts), [["item x?"], ["item y?"]]);
    assert.deepEqual(transcript[1], { items: ["side", "x:X", "y:Y"] });
  });

  it("checkpoints a subgraph under its namespace and resumes it", async () => {
    const transcript = await sameWithEitherSaver(async (saver) => {
      const State = Annotation.Root({ topic: Annotation<string>(), answer: Annotation<string>() });
      const child = new StateGraph(State)
        .addNode("ask", () => ({ answer: interrupt<string, string>("child?") }))
        .addEdge(START, "ask")
        .compile();
      const graph = new StateGraph(State)
        .addNode("child", child)
        .addNode("after", (s) => ({ topic: `${s.topic} after ${s.answer}` }))
        .addEdge(START, "child")
        .addEdge("child", "after")
        .compile({ checkpointer: saver });
      const config = { configurable: { thread_id: "sub" } };
      const out: unknown[] = [];
      await graph.invoke({ topic: "t" }, config);
      out.push(view(await graph.getState(config, { subgraphs: true })));
      out.push(await graph.invoke(new Command({ resume: "42" }), config));
      out.push(await history(graph, config));
      return out;
    });
    assert.deepEqual((transcript[0] as View).tasks[0].state?.tasks.map((t) => t.interrupts), [["child?"]], "the child's own checkpoint is read");
    assert.deepEqual(transcript[1], { topic: "t after 42", answer: "42" });
  });
});
