// config.durability: when checkpoints reach the saver.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemorySaver as LangGraphMemorySaver } from "@langchain/langgraph-checkpoint";
import { Annotation, END, START, StateGraph } from "../../index";

const State = Annotation.Root({ value: Annotation<string>() });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A saver whose puts and writes wait until released; records what the graph did meanwhile. */
class GatedSaver extends LangGraphMemorySaver {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  gated = 0;
  sources: string[] = [];
  override async put(...args: Parameters<LangGraphMemorySaver["put"]>) {
    this.sources.push(String(args[2].source));
    this.gated++;
    await this.gate;
    return super.put(...args);
  }
  override async putWrites(...args: Parameters<LangGraphMemorySaver["putWrites"]>) {
    this.gated++;
    await this.gate;
    return super.putWrites(...args);
  }
  open(): void {
    this.release();
  }
}

function graphWith(onSecond: () => void) {
  return new StateGraph(State)
    .addNode("first", () => ({ value: "first" }))
    .addNode("second", () => {
      onSecond();
      return { value: "second" };
    })
    .addEdge(START, "first")
    .addEdge("first", "second")
    .addEdge("second", END);
}

describe("durability", () => {
  it('"sync": the next step waits for the saver; "async" (default) does not', async () => {
    for (const durability of ["sync", "async"] as const) {
      const saver = new GatedSaver();
      let secondStarted = false;
      let release!: () => void;
      const secondReached = new Promise<void>((resolve) => (release = resolve));
      const graph = graphWith(() => {
        secondStarted = true;
        release();
      }).compile({ checkpointer: saver });
      const run = graph.invoke({ value: "in" }, { configurable: { thread_id: durability }, durability });
      if (durability === "sync") {
        // Let every timer and I/O turn pass: the second node must still wait for the gated saver.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setTimeout(resolve, 0));
        assert.equal(secondStarted, false);
        assert.ok(saver.gated > 0);
      } else {
        await secondReached;
      }
      saver.open();
      assert.deepEqual(await run, { value: "second" });
      assert.equal(secondStarted, true);
    }
  });

  it('"exit": only the last checkpoint of the run is written', async () => {
    const saver = new GatedSaver();
    saver.open();
    const graph = graphWith(() => {}).compile({ checkpointer: saver });
    const config = { configurable: { thread_id: "exit" }, durability: "exit" as const };
    assert.deepEqual(await graph.invoke({ value: "in" }, config), { value: "second" });
    assert.deepEqual(saver.sources, ["loop"]);
    const state = await graph.getState(config);
    assert.deepEqual(state.values, { value: "second" });
    assert.deepEqual(state.next, []);
  });

  it('"exit": a subgraph saves its checkpoint when it stops at an interrupt, not when it finishes (as LangGraph.js)', async () => {
    const saver = new LangGraphMemorySaver();
    const child = new StateGraph(State)
      .addNode("one", (s) => ({ value: `${s.value} one` }))
      .addNode("two", (s) => ({ value: `${s.value} two` }))
      .addEdge(START, "one")
      .addEdge("one", "two")
      .compile({ interruptBefore: ["two"] });
    const graph = new StateGraph(State).addNode("child", child).addEdge(START, "child").compile({ checkpointer: saver });
    const config = { configurable: { thread_id: "exit-sub" }, durability: "exit" as const };
    await graph.invoke({ value: "in" }, config);
    const childConfig = (await graph.getState(config)).tasks[0].state as { configurable: Record<string, unknown> };
    const stopped = await collect(graph.getStateHistory(childConfig));
    assert.deepEqual(stopped.map((s) => s.values), [{ value: "in one" }]);
    assert.deepEqual(await graph.invoke(null, config), { value: "in one two" });
    // Finished: no checkpoint of the subgraph's own end (the parent's holds the result).
    assert.deepEqual((await collect(graph.getStateHistory(childConfig))).map((s) => s.values), [{ value: "in one" }]);
  });

  it("rejects an unknown durability", async () => {
    await assert.rejects(graphWith(() => {}).compile().invoke({ value: "x" }, { durability: "never" as never }), /config.durability must be "sync", "async" or "exit"/);
  });
});
