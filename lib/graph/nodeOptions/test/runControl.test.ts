// RunControl: draining a run at a superstep boundary (GraphDrained), and continuing the thread after.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemorySaver as LangGraphMemorySaver } from "@langchain/langgraph-checkpoint";
import { Annotation, END, GraphDrained, MemorySaver, RunControl, START, StateGraph, isGraphDrained, type NodeConfig } from "../../index";

const State = Annotation.Root({ first: Annotation<string>(), second: Annotation<string>() });

function twoSteps(onFirst: (config: NodeConfig) => void, ran: string[] = []) {
  return new StateGraph(State)
    .addNode("stepA", (_state, config: NodeConfig) => {
      ran.push("stepA");
      onFirst(config);
      return { first: "done" };
    })
    .addNode("stepB", () => {
      ran.push("stepB");
      return { second: "done" };
    })
    .addEdge(START, "stepA")
    .addEdge("stepA", "stepB")
    .addEdge("stepB", END);
}

describe("RunControl", () => {
  it("requestDrain records the reason (default 'shutdown')", () => {
    const control = new RunControl();
    assert.equal(control.drainRequested, false);
    control.requestDrain();
    assert.equal(control.drainReason, "shutdown");
  });

  it("a drain requested during a step stops the run before the next one, with GraphDrained", async () => {
    const control = new RunControl();
    const ran: string[] = [];
    const graph = twoSteps(() => control.requestDrain("sigterm"), ran).compile();
    await assert.rejects(graph.invoke({}, { control }), (error: unknown) => error instanceof GraphDrained && error.reason === "sigterm" && /Graph drained: sigterm/.test(error.message));
    assert.deepEqual(ran, ["stepA"]);
  });

  it("nodes get the run's control (a fresh one when none was passed) and can drain through it", async () => {
    let seen: unknown;
    const graph = twoSteps((config) => {
      seen = config.control;
      config.control?.requestDrain("from-node");
    }).compile();
    const error = await graph.invoke({}).catch((e: unknown) => e);
    assert.ok(seen instanceof RunControl);
    assert.ok(isGraphDrained(error));
  });

  it("a pre-drained control runs nothing; a drain in the last step ends the run normally", async () => {
    const control = new RunControl();
    control.requestDrain("early");
    const ran: string[] = [];
    await assert.rejects(twoSteps(() => {}, ran).compile().invoke({}, { control }), /Graph drained: early/);
    assert.deepEqual(ran, []);
    const last = new RunControl();
    const single = new StateGraph(State).addNode("only", () => {
      last.requestDrain();
      return { first: "x" };
    }).addEdge(START, "only").compile();
    assert.deepEqual(await single.invoke({}, { control: last }), { first: "x" });
  });

  for (const [saverName, makeSaver] of [["Rill's MemorySaver", () => new MemorySaver()], ["LangGraph's MemorySaver", () => new LangGraphMemorySaver()]] as const) {
    for (const durability of ["async", "sync", "exit"] as const) {
      it(`the drained thread continues from its checkpoint (${saverName}, durability ${durability})`, async () => {
        const control = new RunControl();
        const ran: string[] = [];
        const graph = twoSteps(() => control.requestDrain("sigterm"), ran).compile({ checkpointer: makeSaver() });
        const config = { configurable: { thread_id: `drain-${durability}` }, durability };
        await assert.rejects(graph.invoke({}, { ...config, control }), GraphDrained);
        assert.deepEqual((await graph.getState(config)).next, ["stepB"]);
        assert.deepEqual(await graph.invoke(null, config), { first: "done", second: "done" });
        assert.deepEqual(ran, ["stepA", "stepB"]);
      });
    }
  }

  it("stream() raises GraphDrained too", async () => {
    const control = new RunControl();
    const graph = twoSteps(() => control.requestDrain("sigterm")).compile();
    await assert.rejects(async () => {
      for await (const _chunk of await graph.stream({}, { control })) {
        // read on
      }
    }, /Graph drained: sigterm/);
  });

  it("rejects a control that is not a RunControl", async () => {
    await assert.rejects(twoSteps(() => {}).compile().invoke({}, { control: {} as RunControl }), /config.control must be a RunControl/);
  });
});
