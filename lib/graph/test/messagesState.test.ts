// messagesStateReducer / MessagesAnnotation: LangGraph.js's message-list semantics, with @langchain/core
// installed (instances, as LangGraph.js) and without it (Rill's plain JSON messages).
// The same inputs are compared against LangGraph.js's own reducer in langchain/test/messagesReducer.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage as LcAIMessage, HumanMessage as LcHumanMessage, RemoveMessage as LcRemoveMessage } from "@langchain/core/messages";
import { withoutLangChainCore } from "../langchain/optionalCore";
import { END, MessagesAnnotation, REMOVE_ALL_MESSAGES, START, StateGraph, messagesStateReducer, type AIMessage, type BaseMessage } from "../index";

describe("messagesStateReducer without @langchain/core (plain messages)", () => {
  it("appends new messages, replaces a message with the same id, and gives ids to those without", () =>
    withoutLangChainCore(() => {
      const first: BaseMessage[] = [{ type: "human", id: "1", content: "hi" }];
      const next = messagesStateReducer(first, [{ type: "ai", id: "2", content: "hello", tool_calls: [] }, { type: "human", content: "again" }]);
      assert.deepEqual(next.map((m) => [m.type, m.content]), [["human", "hi"], ["ai", "hello"], ["human", "again"]]);
      assert.match(next[2].id!, /^[0-9a-f-]{36}$/);
      const replaced = messagesStateReducer(next, { type: "ai", id: "2", content: "edited", tool_calls: [] });
      assert.deepEqual(replaced.map((m) => m.content), ["hi", "edited", "again"]);
      assert.equal(first.length, 1, "inputs are not mutated");
      assert.equal(Object.getPrototypeOf(next[0]), Object.prototype, "plain objects stay plain");
    }));

  it("coerces strings, [role, content] tuples and { role, content } objects", () =>
    withoutLangChainCore(() => {
      const out = messagesStateReducer([], ["plain", ["assistant", "from tuple"], { role: "system", content: "sys" }]);
      assert.deepEqual(out.map((m) => m.type), ["human", "ai", "system"]);
      assert.deepEqual((out[1] as AIMessage).tool_calls, []);
    }));

  it("removes by id, or all messages", () =>
    withoutLangChainCore(() => {
      const base: BaseMessage[] = [
        { type: "human", id: "a", content: "1" },
        { type: "human", id: "b", content: "2" },
      ];
      assert.deepEqual(messagesStateReducer(base, { type: "remove", id: "a" }).map((m) => m.id), ["b"]);
      assert.deepEqual(messagesStateReducer(base, [{ type: "remove", id: REMOVE_ALL_MESSAGES }, { type: "human", id: "c", content: "3" }]).map((m) => m.id), ["c"]);
      assert.throws(() => messagesStateReducer(base, { type: "remove", id: "zzz" }), /doesn't exist/);
    }));
  it("reduces a list it returned again correctly: from an older list (a fork), and after the list was mutated in place", () =>
    withoutLangChainCore(() => {
      const base = messagesStateReducer([], [{ type: "human", id: "1", content: "a" }]);
      const next = messagesStateReducer(base, { type: "ai", id: "2", content: "b", tool_calls: [] });
      // `base` is reduced again (as a fork from an older checkpoint would): "2" is not in it.
      const fork = messagesStateReducer(base, { type: "ai", id: "2", content: "other", tool_calls: [] });
      assert.deepEqual(fork.map((m) => [m.id, m.content]), [["1", "a"], ["2", "other"]]);
      assert.deepEqual(next.map((m) => m.content), ["a", "b"]);
      // Two lists reduced from one (a step's local view and its commit, or forks) may place an id apart.
      const ai = (id: string, content: string): BaseMessage => ({ type: "ai", id, content, tool_calls: [] });
      const one = messagesStateReducer(base, [ai("x", "x"), ai("z", "z")]);
      const other = messagesStateReducer(base, [ai("w", "w"), ai("x", "x elsewhere")]);
      assert.deepEqual(messagesStateReducer(one, ai("x", "x edited")).map((m) => [m.id, m.content]), [["1", "a"], ["x", "x edited"], ["z", "z"]]);
      assert.deepEqual(messagesStateReducer(other, ai("z", "new")).map((m) => m.id), ["1", "w", "x", "z"]);
      // The same update applied twice to one list (a step's local view for its edges, then its commit).
      const update = ai("y", "y");
      messagesStateReducer(one, update);
      const committed = messagesStateReducer(one, update);
      assert.deepEqual(messagesStateReducer(committed, ai("y", "y edited")).map((m) => [m.id, m.content]), [["1", "a"], ["x", "x"], ["z", "z"], ["y", "y edited"]]);
      // A node pushed onto the state's list: its message is replaced by id, not appended twice.
      next.push({ type: "human", id: "3", content: "pushed" });
      const replaced = messagesStateReducer(next, { type: "human", id: "3", content: "replaced" });
      assert.deepEqual(replaced.map((m) => [m.id, m.content]), [["1", "a"], ["2", "b"], ["3", "replaced"]]);
      // Replacing and removing keep working on a reduced list.
      const removed = messagesStateReducer(replaced, [{ type: "remove", id: "2" }]);
      assert.deepEqual(removed.map((m) => m.id), ["1", "3"]);
      assert.deepEqual(messagesStateReducer(removed, { type: "ai", id: "4", content: "c", tool_calls: [] }).map((m) => m.id), ["1", "3", "4"]);
    }));
});

describe("messagesStateReducer with @langchain/core (LangGraph.js's instances)", () => {
  it("coerces plain objects, tuples and strings into message instances and keeps instances as they are", () => {
    const human = new LcHumanMessage({ content: "kept", id: "h1" });
    const out = messagesStateReducer([human], ["plain", ["assistant", "from tuple"], { role: "system", content: "sys" }, { type: "ai", content: "typed", id: "x" }]);
    assert.equal(out[0], human, "an instance with an id is kept, not copied");
    assert.deepEqual(out.map((m) => (m as unknown as { getType(): string }).getType()), ["human", "human", "ai", "system", "ai"]);
    assert.ok(out[2] instanceof LcAIMessage);
    for (const m of out) assert.ok(typeof m.id === "string" && m.id.length > 0);
  });

  it("removes with RemoveMessage instances and replaces by id across kinds (instance replaced by a plain object)", () => {
    const a = new LcHumanMessage({ content: "a", id: "a" });
    const b = new LcAIMessage({ content: "b", id: "b" });
    assert.deepEqual(messagesStateReducer([a, b], new LcRemoveMessage({ id: "a" })).map((m) => m.id), ["b"]);
    const replaced = messagesStateReducer([a, b], { role: "assistant", content: "b2", id: "b" });
    assert.deepEqual(replaced.map((m) => m.content), ["a", "b2"]);
    assert.ok(replaced[1] instanceof LcAIMessage);
  });

  it("works as MessagesAnnotation in a graph holding instances and plain objects", async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("bot", (s) => ({ messages: [new LcAIMessage({ content: `echo ${s.messages.at(-1)?.content}`, id: "r" })] }))
      .addEdge(START, "bot")
      .addEdge("bot", END)
      .compile();
    const out = await graph.invoke({ messages: [{ role: "user", content: "ping" }] });
    assert.deepEqual(out.messages.map((m) => m.content), ["ping", "echo ping"]);
    assert.ok(out.messages[0] instanceof LcHumanMessage);
  });
});
