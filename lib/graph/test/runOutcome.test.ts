// RunStream.outcome: how a run ended, without reading "updates" chunks for `__interrupt__`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, interrupt, MemorySaver, START, StateGraph } from "../index";

const State = Annotation.Root({ answer: Annotation<string>() });

function approvalGraph() {
  return new StateGraph(State)
    .addNode("ask", () => ({ answer: String(interrupt({ question: "ok?" })) }))
    .addEdge(START, "ask")
    .compile({ checkpointer: new MemorySaver() });
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe("RunStream.outcome", () => {
  it("reports an interrupt with what was asked, though only 'custom' was streamed", async () => {
    const graph = approvalGraph();
    const config = { configurable: { thread_id: "t1" }, streamMode: ["custom" as const] };
    const stream = await graph.stream({ answer: "" }, config);
    assert.deepEqual(await drain(stream), []);
    const outcome = await stream.outcome;
    assert.equal(outcome.status, "interrupted");
    assert.deepEqual(outcome.interrupts.map((i) => i.value), [{ question: "ok?" }]);
    const resumed = await graph.stream(new Command({ resume: "yes" }), config);
    await drain(resumed);
    assert.deepEqual(await resumed.outcome, { status: "done", interrupts: [] });
  });

  it("rejects with the run's error when a node fails", async () => {
    const graph = new StateGraph(State)
      .addNode("boom", () => {
        throw new Error("boom");
      })
      .addEdge(START, "boom")
      .compile();
    const stream = await graph.stream({ answer: "" }, { streamMode: ["values"] });
    await assert.rejects(drain(stream), /boom/);
    await assert.rejects(stream.outcome, /boom/);
  });

  it("invoke() reports the same interrupts", async () => {
    const result = (await approvalGraph().invoke({ answer: "" }, { configurable: { thread_id: "t2" } })) as Record<string, unknown>;
    assert.deepEqual((result.__interrupt__ as Array<{ value: unknown }>).map((i) => i.value), [{ question: "ok?" }]);
  });
});
