// Superstep semantics: what tasks read, the order writes are applied in, Send, Command, subgraphs,
// the recursion limit and the errors LangGraph.js raises.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { Annotation, Command, END, GraphRecursionError, InvalidUpdateError, Send, START, StateGraph } from "../index";
import { recordStream } from "./fixtures";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ListState = Annotation.Root({
  topic: Annotation<string>(),
  seen: Annotation<string>(),
  items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

async function collect<T>(stream: AsyncIterable<T> | Promise<AsyncIterable<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await stream) out.push(item);
  return out;
}

describe("supersteps", () => {
  it("gives every task of a step the state as of the step's start", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => ({ topic: "changed by a", items: ["a"] }))
      .addNode("b", (s) => ({ seen: `b saw ${s.topic} and ${s.items.length} items` }))
      .addEdge(START, "a")
      .addEdge(START, "b")
      .compile();
    const result = await graph.invoke({ topic: "start" });
    assert.equal(result.seen, "b saw start and 0 items");
    assert.equal(result.topic, "changed by a");
  });

  it("applies a step's writes by node name, whatever order the nodes finished in", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", async () => {
        await delay(15);
        return { items: ["a"] };
      })
      .addNode("b", () => ({ items: ["b"] }))
      .addNode("c", async () => ({ items: ["c"] }))
      .addEdge(START, "c")
      .addEdge(START, "b")
      .addEdge(START, "a")
      .compile();
    const updates = await collect(graph.stream({ topic: "t" }, { streamMode: "updates" }));
    assert.deepEqual(updates.map((u) => Object.keys(u)[0]), ["b", "c", "a"], "updates in completion order");
    assert.deepEqual((await graph.invoke({ topic: "t" })).items, ["a", "b", "c"]);
  });

  it("applies Send writes by Send index", async () => {
    const graph = new StateGraph(ListState)
      .addNode("work", async (arg: { i?: number }) => {
        await delay(30 - (arg.i ?? 0) * 10);
        return { items: [`w${arg.i}`] };
      })
      .addConditionalEdges(START, () => [0, 1, 2].map((i) => new Send("work", { i })))
      .compile();
    assert.deepEqual((await graph.invoke({ topic: "t" })).items, ["w0", "w1", "w2"]);
  });

  it("raises InvalidUpdateError with LangGraph.js's message for two writes to a plain key in one step", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => ({ topic: "a" }))
      .addNode("b", () => ({ topic: "b" }))
      .addEdge(START, "a")
      .addEdge(START, "b")
      .compile();
    const { lines, error } = await recordStream(() => graph.stream({ topic: "x" }, { streamMode: "updates" }));
    assert.deepEqual(lines, ['{"a":{"topic":"a"}}', '{"b":{"topic":"b"}}']);
    assert.ok(error instanceof InvalidUpdateError);
    assert.equal(
      error.message,
      'Invalid update for channel "topic" with values ["a","b"]: LastValue can only receive one value per step.\n\nTroubleshooting URL: https://docs.langchain.com/oss/javascript/langgraph/INVALID_CONCURRENT_GRAPH_UPDATE/\n',
    );
  });

  it("rejects a node that returns neither an object nor a Command", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => "oops" as never)
      .addEdge(START, "a")
      .compile();
    await assert.rejects(graph.invoke({ topic: "x" }), (e: Error) => e.name === "InvalidUpdateError" && e.message.startsWith('Expected node "a" to return an object or an array containing at least one Command object, received string'));
  });

  it("ignores keys that are not in the state, and streams {} for a node that returns nothing", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => ({ zzz: 1, topic: "a" }) as never)
      .addNode("b", () => undefined)
      .addEdge(START, "a")
      .addEdge("a", "b")
      .compile();
    const chunks = await collect(graph.stream({ topic: "x", bogus: 1 } as never, { streamMode: ["updates", "values"] }));
    assert.deepEqual(chunks, [
      ["values", { topic: "x", items: [] }],
      ["updates", { a: { topic: "a" } }],
      ["values", { topic: "a", items: [] }],
      ["updates", { b: {} }],
    ]);
  });
});

describe("routing", () => {
  it("runs a node with a waiting edge once all its starts finished", async () => {
    const order: string[] = [];
    const graph = new StateGraph(ListState)
      .addNode("a", () => (order.push("a"), { items: ["a"] }))
      .addNode("slow1", () => (order.push("slow1"), {}))
      .addNode("slow2", () => (order.push("slow2"), { items: ["slow2"] }))
      .addNode("join", (s) => (order.push(`join:${s.items.join(",")}`), {}))
      .addEdge(START, "a")
      .addEdge(START, "slow1")
      .addEdge("slow1", "slow2")
      .addEdge(["a", "slow2"], "join")
      .compile();
    const tasks = await collect(graph.stream({ topic: "t" }, { streamMode: "tasks" }));
    assert.deepEqual(order, ["a", "slow1", "slow2", "join:a,slow2"]);
    const joinStart = tasks.find((t) => t.name === "join" && "triggers" in t);
    assert.deepEqual(joinStart && "triggers" in joinStart ? joinStart.triggers : null, ["join:a+slow2:join"]);
  });

  it("routes conditional edges through a pathMap (object or list), to END, and reads the node's own writes", async () => {
    const graph = new StateGraph(ListState)
      .addNode("decide", () => ({ topic: "go-left" }))
      .addNode("left", () => ({ items: ["left"] }))
      .addNode("right", () => ({ items: ["right"] }))
      .addEdge(START, "decide")
      .addConditionalEdges("decide", (s) => (s.topic === "go-left" ? "L" : "R"), { L: "left", R: "right" })
      .addConditionalEdges("left", async () => END, [END])
      .compile();
    assert.deepEqual((await graph.invoke({ topic: "x" })).items, ["left"]);
  });

  it("fails with LangGraph.js's message when a path returns an unknown name", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => ({}))
      .addNode("b", () => ({}))
      .addEdge(START, "a")
      .addConditionalEdges("a", () => "nope", { yes: "b" })
      .compile();
    await assert.rejects(graph.invoke({ topic: "x" }), /Branch condition returned unknown or null destination/);
  });

  it("fans out with Send: each task gets its own input, and the triggers are __pregel_push", async () => {
    const graph = new StateGraph(ListState)
      .addNode("work", (arg: { word?: string }) => ({ items: [arg.word!.toUpperCase()] }))
      .addNode("after", (s) => ({ topic: s.items.join("+") }))
      .addConditionalEdges(START, (s) => s.topic.split(" ").map((word) => new Send("work", { word })))
      .addEdge("work", "after")
      .compile();
    const debug = await collect(graph.stream({ topic: "a b c" }, { streamMode: "debug" }));
    const starts = debug.filter((d) => d.type === "task" && d.payload.name === "work");
    assert.deepEqual(starts.map((d) => (d.payload as { input: unknown }).input), [{ word: "a" }, { word: "b" }, { word: "c" }]);
    assert.deepEqual((starts[0].payload as { triggers: string[] }).triggers, ["__pregel_push"]);
    const after = debug.filter((d) => d.type === "task" && d.payload.name === "after");
    assert.equal(after.length, 1, "after runs once for the three Sends");
    assert.equal((await graph.invoke({ topic: "a b c" })).topic, "A+B+C");
  });

  it("applies a Command's update and goes where it says (names and Sends)", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => new Command({ update: { topic: "A" }, goto: ["b", new Send("c", { topic: "sent" })] }), { ends: ["b", "c"] })
      .addNode("b", (s) => ({ items: [`b:${s.topic}`] }))
      .addNode("c", (s) => ({ items: [`c:${s.topic}`] }))
      .addEdge(START, "a")
      .compile();
    const updates = await collect(graph.stream({ topic: "x" }, { streamMode: "updates" }));
    assert.deepEqual(updates[0], { a: { topic: "A" } });
    assert.deepEqual((await graph.invoke({ topic: "x" })).items, ["b:A", "c:sent"]);
  });
});

describe("subgraphs", () => {
  it("shares keys with the parent; the parent keeps only its own keys; reducer keys get the child's full value", async () => {
    const Child = Annotation.Root({
      topic: Annotation<string>(),
      private_note: Annotation<string>(),
      items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const child = new StateGraph(Child)
      .addNode("inner", (s) => ({ private_note: "hidden", topic: `${s.topic}!`, items: ["inner"] }))
      .addEdge(START, "inner")
      .compile();
    const graph = new StateGraph(ListState).addNode("child", child).addEdge(START, "child").compile();
    const updates = await collect(graph.stream({ topic: "t", items: ["p"] }, { streamMode: "updates" }));
    assert.deepEqual(updates, [{ child: { topic: "t!", items: ["p", "inner"] } }]);
    assert.deepEqual((await graph.invoke({ topic: "t", items: ["p"] })).items, ["p", "p", "inner"]);
  });
});

describe("a compiled graph invoked by a node", () => {
  it("runs as the node's subgraph: its chunks stream under the node's namespace", async () => {
    const Inner = Annotation.Root({ text: Annotation<string>() });
    const inner = new StateGraph(Inner)
      .addNode("shout", (s, config) => {
        config.writer("shouting");
        return { text: s.text.toUpperCase() };
      })
      .addEdge(START, "shout")
      .compile();
    const outer = new StateGraph(ListState)
      .addNode("call_inner", async (s, config) => ({ seen: (await inner.invoke({ text: s.topic }, config)).text }))
      .addEdge(START, "call_inner")
      .compile();
    const chunks = await collect(outer.stream({ topic: "owls" }, { streamMode: ["updates", "custom"], subgraphs: true }));
    assert.equal(chunks.length, 3);
    assert.match(chunks[0][0][0], /^call_inner:[0-9a-f-]{36}$/);
    assert.deepEqual(chunks.map(([, mode, chunk]) => [mode, chunk]), [
      ["custom", "shouting"],
      ["updates", { shout: { text: "OWLS" } }],
      ["updates", { call_inner: { seen: "OWLS" } }],
    ]);
    assert.deepEqual(await collect(outer.stream({ topic: "owls" }, { streamMode: "custom" })), ["shouting"]);
  });
});

describe("Command.PARENT", () => {
  it("hands off from inside a subgraph: the parent applies the update and goes to the named node", async () => {
    const agent = new StateGraph(ListState)
      .addNode("think", () => ({ items: ["a thinks"] }))
      .addNode("handoff", () => new Command({ graph: Command.PARENT, goto: "b", update: { topic: "b", items: ["handoff"] } }))
      .addNode("never", () => ({ items: ["never"] }))
      .addEdge(START, "think")
      .addEdge("think", "handoff")
      .addEdge("handoff", "never")
      .compile();
    const graph = new StateGraph(ListState)
      .addNode("a", agent, { ends: ["b"] })
      .addNode("b", (s) => ({ items: [`b runs for ${s.topic}`] }))
      .addEdge(START, "a")
      .compile();
    assert.deepEqual(await graph.invoke({ topic: "t" }), { topic: "b", items: ["handoff", "b runs for b"] });
  });

  it("is an error at the root graph", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => new Command({ graph: Command.PARENT, goto: "a" }))
      .addEdge(START, "a")
      .compile();
    await assert.rejects(graph.invoke({ topic: "t" }), InvalidUpdateError);
  });
});

describe("recursion limit", () => {
  const LoopState = Annotation.Root({ n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }) });
  const loop = () =>
    new StateGraph(LoopState)
      .addNode("a", () => ({ n: 1 }))
      .addNode("b", () => ({ n: 1 }))
      .addEdge(START, "a")
      .addEdge("a", "b")
      .addEdge("b", "a")
      .compile();

  it("throws GraphRecursionError with LangGraph.js's message after streaming every step it ran", async () => {
    const { lines, error } = await recordStream(() => loop().stream({}, { streamMode: "updates", recursionLimit: 4 }));
    assert.equal(lines.length, 4);
    assert.ok(error instanceof GraphRecursionError);
    assert.equal(
      error.message,
      'Recursion limit of 4 reached without hitting a stop condition. You can increase the limit by setting the "recursionLimit" config key.\n\nTroubleshooting URL: https://docs.langchain.com/oss/javascript/langgraph/GRAPH_RECURSION_LIMIT/\n',
    );
  });

  it("defaults to 25 steps", async () => {
    const { lines, error } = await recordStream(() => loop().stream({}, { streamMode: "updates" }));
    assert.equal(lines.length, 25);
    assert.equal(error?.name, "GraphRecursionError");
  });

  it("counts steps taken like LangGraph.js: a graph needing N steps needs a limit above N", async () => {
    const graph = new StateGraph(LoopState)
      .addNode("inc", () => ({ n: 1 }))
      .addEdge(START, "inc")
      .addConditionalEdges("inc", (s) => (s.n >= 3 ? END : "inc"))
      .compile();
    assert.equal((await graph.invoke({}, { recursionLimit: 4 })).n, 3);
    await assert.rejects(graph.invoke({}, { recursionLimit: 3 }), GraphRecursionError);
  });
});

describe("node errors", () => {
  it("rejects the iteration with the original error after streaming the failed task_result", async () => {
    class MyError extends Error {
      override name = "MyError";
    }
    const original = new MyError("kaput");
    const graph = new StateGraph(ListState)
      .addNode("ok", () => ({ items: ["ok"] }))
      .addNode("bad", async () => {
        throw original;
      })
      .addEdge(START, "ok")
      .addEdge(START, "bad")
      .compile();
    const chunks: unknown[] = [];
    await assert.rejects(async () => {
      for await (const c of await graph.stream({ topic: "x" }, { streamMode: ["updates", "tasks"] })) chunks.push(c);
    }, (e) => e === original);
    assert.deepEqual(chunks.at(-1), ["tasks", { id: (chunks.at(-1) as [string, { id: string }])[1].id, name: "bad", result: {}, interrupts: [], error: { message: "kaput", name: "MyError" } }]);
    assert.ok(chunks.some((c) => JSON.stringify(c) === '["updates",{"ok":{"items":["ok"]}}]'));
  });

  it("aggregates errors of several failing tasks of one step", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", () => {
        throw new Error("a failed");
      })
      .addNode("b", () => {
        throw new Error("b failed");
      })
      .addEdge(START, "a")
      .addEdge(START, "b")
      .compile();
    await assert.rejects(graph.invoke({ topic: "x" }), (e: AggregateError) => e instanceof AggregateError && e.errors.length === 2);
  });
});

describe("streamSync", () => {
  it("runs synchronous graphs as a plain iterable", () => {
    const graph = new StateGraph(ListState)
      .addNode("a", (s) => ({ topic: `${s.topic}!` }))
      .addEdge(START, "a")
      .compile();
    assert.deepEqual([...graph.streamSync({ topic: "x" })], [{ a: { topic: "x!" } }]);
  });

  it("fails naming the node that is asynchronous", () => {
    const graph = new StateGraph(ListState)
      .addNode("first", () => ({ items: ["1"] }))
      .addNode("slow_node", async () => ({ topic: "never" }))
      .addEdge(START, "first")
      .addEdge("first", "slow_node")
      .compile();
    const chunks: unknown[] = [];
    assert.throws(() => {
      for (const c of graph.streamSync({ topic: "x" })) chunks.push(c);
    }, /Node "slow_node" is asynchronous/);
    assert.deepEqual(chunks, [{ first: { items: ["1"] } }]);
  });
});

describe("stream()", () => {
  it("is iterable before and after awaiting, and yields a custom chunk when the node writes it", async () => {
    const graph = new StateGraph(ListState)
      .addNode("a", (_s, config) => {
        config.writer("first");
        config.writer({ second: true });
        return { topic: "done" };
      })
      .addEdge(START, "a")
      .compile();
    const direct = await collect(graph.stream({ topic: "x" }, { streamMode: ["custom", "updates"] }));
    const awaited = await collect(await graph.stream({ topic: "x" }, { streamMode: ["custom", "updates"] }));
    const expected = [["custom", "first"], ["custom", { second: true }], ["updates", { a: { topic: "done" } }]];
    assert.deepEqual(direct, expected);
    assert.deepEqual(awaited, expected);
  });

  it("always gives nodes a writer, even when custom is not streamed", async () => {
    let kind = "";
    const graph = new StateGraph(ListState)
      .addNode("a", (_s, config) => {
        kind = typeof config.writer;
        config.writer("dropped");
        return {};
      })
      .addEdge(START, "a")
      .compile();
    assert.deepEqual(await collect(graph.stream({ topic: "x" }, { streamMode: "custom" })), ["dropped"]);
    await graph.invoke({ topic: "x" });
    assert.equal(kind, "function");
  });

  it("rejects an unknown stream mode with a clear error", async () => {
    const graph = new StateGraph(ListState).addNode("a", () => ({})).addEdge(START, "a").compile();
    await assert.rejects(collect(graph.stream({ topic: "x" }, { streamMode: "bogus" as never })), /Unknown stream mode "bogus"/);
  });
});

describe("state schemas", () => {
  it("accepts the legacy { channels } form and a record of Annotations", async () => {
    const legacy = new StateGraph({ channels: { topic: null, items: { value: (a: string[], b: string[]) => a.concat(b), default: () => [] } } })
      .addNode("a", () => ({ items: ["x"] }))
      .addEdge(START, "a")
      .compile();
    assert.deepEqual(await legacy.invoke({ topic: "t" }), { topic: "t", items: ["x"] });
    const record = new StateGraph({ topic: Annotation<string>() }).addNode("a", (s) => ({ topic: `${s.topic}!` })).addEdge(START, "a").compile();
    assert.deepEqual(await record.invoke({ topic: "t" }), { topic: "t!" });
  });

  it("accepts a zod object (every key a plain value)", async () => {
    const graph = new StateGraph(z.object({ topic: z.string(), joke: z.string().optional() }))
      .addNode("a", (s: { topic: string }) => ({ joke: `about ${s.topic}` }))
      .addEdge(START, "a")
      .compile();
    assert.deepEqual(await graph.invoke({ topic: "t" }), { topic: "t", joke: "about t" });
  });

  it("ignores a default without a reducer, as LangGraph.js does", async () => {
    const State = Annotation.Root({ a: Annotation<string>({ default: () => "dflt" }), b: Annotation<string>() });
    const graph = new StateGraph(State).addNode("n", () => ({ b: "x" })).addEdge(START, "n").compile();
    assert.deepEqual(await graph.invoke({}), { b: "x" });
  });
});
