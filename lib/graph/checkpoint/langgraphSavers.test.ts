// Cross-wiring: Rill's engine with LangGraph's own savers. The saver contract cases and the engine
// cases (interrupt, resume, getState, history, updateState, forks, Sends, joins, subgraphs) run
// against LangGraph's MemorySaver and its SqliteSaver (better-sqlite3, in memory). These savers keep
// only LangGraph's checkpoint fields, so this proves Rill's engine keeps what it needs inside them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage } from "@langchain/core/messages";
import { MemorySaver as LangGraphMemorySaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { Annotation, Command, START, Send, StateGraph, interrupt, isCommand } from "../index";
import { runCheckpointerCases } from "./checkpointer.cases";

// LangGraph.js's savers lose channels named "__proto__", "constructor", ... (its graphs refuse such keys).
runCheckpointerCases("LangGraph's MemorySaver", () => new LangGraphMemorySaver(), { prototypeNamedChannels: false });
runCheckpointerCases("LangGraph's SqliteSaver", () => SqliteSaver.fromConnString(":memory:"), { prototypeNamedChannels: false });

describe("Rill's engine state through LangGraph's serializing savers", () => {
  for (const [name, make] of [
    ["MemorySaver", () => new LangGraphMemorySaver()],
    ["SqliteSaver", () => SqliteSaver.fromConnString(":memory:")],
  ] as const) {
    it(`keeps @langchain/core message instances across an interrupt (${name})`, async () => {
      const State = Annotation.Root({ reply: Annotation<AIMessage>(), answer: Annotation<string>() });
      const graph = new StateGraph(State)
        .addNode("speak", () => ({ reply: new AIMessage({ content: "hello", id: "m1" }) }))
        .addNode("ask", () => ({ answer: interrupt<string, string>("ok?") }))
        .addEdge(START, "speak")
        .addEdge("speak", "ask")
        .compile({ checkpointer: make() });
      const config = { configurable: { thread_id: "m" } };
      await graph.invoke({}, config);
      const paused = await graph.getState(config);
      assert.ok(paused.values.reply instanceof AIMessage, "revived by the saver's serializer");
      const done = await graph.invoke(new Command({ resume: "yes" }), config);
      assert.ok(done.reply instanceof AIMessage);
      assert.equal(done.reply.content, "hello");
      assert.equal(done.answer, "yes");
    });

    it(`a node sent a Command still gets a Command after the saver stored it (${name})`, async () => {
      const State = Annotation.Root({ items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
      const worker = (input: unknown) => {
        if (!isCommand(input)) return { items: [`plain ${JSON.stringify(input)}`] };
        return new Command({ goto: input.goto, update: { items: [JSON.stringify(input.toJSON())] } });
      };
      const graph = new StateGraph(State)
        .addNode("fan", () => ({ items: ["fan"] }))
        .addNode("worker", worker)
        .addNode("gate", () => ({ items: ["gate"] }))
        .addEdge(START, "fan")
        .addConditionalEdges("fan", () => [new Send("worker", new Command({ goto: new Send("worker", 3) })), "gate"])
        .compile({ checkpointer: make(), interruptBefore: ["gate"] });
      const config = { configurable: { thread_id: "sent-command" } };
      await graph.invoke({ items: [] }, config);
      const done = await graph.invoke(null, config);
      assert.deepEqual(done.items, ["fan", "gate", '{"lg_name":"Command","goto":[{"lg_name":"Send","node":"worker","args":3}]}', "plain 3"]);
    });
  }
});
