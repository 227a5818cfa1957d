// Node error handlers (`addNode(..., { errorHandler })` and setNodeDefaults' shared one).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Annotation, Command, MemorySaver, NodeError, START, StateGraph, interrupt } from "../../index";

const State = Annotation.Root({ foo: Annotation<string>(), log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
const quick = { initialInterval: 1, jitter: false, logWarning: false } as const;

describe("node error handlers", () => {
  it("run once the retries are exhausted, get the NodeError and the node's input, and replace its update", async () => {
    let attempts = 0;
    let seen: { error?: NodeError; state?: unknown } = {};
    const graph = new StateGraph(State)
      .addNode(
        "failing",
        () => {
          attempts++;
          throw new Error("always fails");
        },
        {
          retryPolicy: { ...quick, maxAttempts: 2, retryOn: () => true },
          errorHandler: (state, error) => {
            seen = { error, state };
            return new Command({ update: { foo: "handled" }, goto: "after" });
          },
        },
      )
      .addNode("after", (state) => ({ foo: `${state.foo}_after` }))
      .addEdge(START, "failing")
      .compile();
    const result = await graph.invoke({ foo: "in" });
    assert.equal(attempts, 2);
    assert.equal(result.foo, "handled_after");
    assert.ok(seen.error instanceof NodeError);
    assert.equal(seen.error.node, "failing");
    assert.equal(seen.error.error.message, "always fails");
    assert.deepEqual(seen.state, { foo: "in", log: [] });
  });

  it("the failed node's edges are not followed; the handler's Command routes", async () => {
    const ran: string[] = [];
    const graph = new StateGraph(State)
      .addNode("failing", () => {
        throw new Error("boom");
      }, { errorHandler: () => new Command({ update: { log: ["handled"] }, goto: "recover" }) })
      .addNode("next", () => {
        ran.push("next");
        return {};
      })
      .addNode("recover", () => {
        ran.push("recover");
        return {};
      })
      .addEdge(START, "failing")
      .addEdge("failing", "next")
      .compile();
    assert.deepEqual((await graph.invoke({ foo: "" })).log, ["handled"]);
    assert.deepEqual(ran, ["recover"]);
  });

  it("streams the handler's update under its own node name", async () => {
    const graph = new StateGraph(State)
      .addNode("failing", () => {
        throw new Error("boom");
      }, { errorHandler: () => ({ log: ["handled"] }) })
      .addEdge(START, "failing")
      .compile();
    const chunks: unknown[] = [];
    for await (const chunk of await graph.stream({ foo: "" })) chunks.push(chunk);
    assert.deepEqual(chunks, [{ __error_handler__failing: { log: ["handled"] } }]);
  });

  it("a failing handler fails the run with its own error; a node without one still fails", async () => {
    const handled = new StateGraph(State)
      .addNode("failing", () => {
        throw new Error("node boom");
      }, {
        errorHandler: () => {
          throw new Error("handler boom");
        },
      })
      .addEdge(START, "failing")
      .compile();
    await assert.rejects(handled.invoke({ foo: "" }), /handler boom/);
    const bare = new StateGraph(State).addNode("failing", () => {
      throw new Error("no handler");
    }).addEdge(START, "failing").compile();
    await assert.rejects(bare.invoke({ foo: "" }), /no handler/);
  });

  it("handles a failure inside a subgraph node", async () => {
    const sub = new StateGraph(State).addNode("subFail", () => {
      throw new Error("subgraph boom");
    }).addEdge(START, "subFail").compile();
    let node = "";
    const parent = new StateGraph(State)
      .addNode("sub", sub, {
        errorHandler: (_state, error) => {
          node = error.node;
          return { foo: "handled_by_parent" };
        },
      })
      .addEdge(START, "sub")
      .compile();
    assert.equal((await parent.invoke({ foo: "" })).foo, "handled_by_parent");
    assert.equal(node, "sub");
  });

  it("never handles an interrupt", async () => {
    const graph = new StateGraph(State)
      .addNode("asks", () => ({ foo: String(interrupt("need input")) }), { errorHandler: () => ({ foo: "handled" }) })
      .addEdge(START, "asks")
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "t" } };
    const result = await graph.invoke({ foo: "" }, config);
    assert.equal((result as { __interrupt__?: unknown[] }).__interrupt__?.length, 1);
    assert.equal((await graph.invoke(new Command({ resume: "yes" }), config)).foo, "yes");
  });

  it("the default handler serves nodes without their own and gets the config", async () => {
    const seen: string[] = [];
    const graph = new StateGraph(State)
      .setNodeDefaults({
        errorHandler: (_state, error, config) => {
          seen.push(`${error.node}@${config.configurable.thread_id}`);
          return { log: [`default:${error.node}`] };
        },
      })
      .addNode("a", () => {
        throw new Error("a");
      })
      .addNode("b", () => {
        throw new Error("b");
      }, { errorHandler: () => ({ log: ["own:b"] }) })
      .addEdge(START, "a")
      .addEdge(START, "b")
      .compile({ checkpointer: new MemorySaver() });
    const result = await graph.invoke({ foo: "" }, { configurable: { thread_id: "t1" } });
    assert.deepEqual([...result.log].sort(), ["default:a", "own:b"]);
    assert.deepEqual(seen, ["a@t1"]);
  });

  it("compile() rejects a node named like the default handler", () => {
    const builder = new StateGraph(State)
      .setNodeDefaults({ errorHandler: () => ({}) })
      .addNode("__default_error_handler__", () => ({}))
      .addEdge(START, "__default_error_handler__");
    assert.throws(() => builder.compile(), /__default_error_handler__/);
  });
});
