// messagesStateReducer / MessagesAnnotation: LangGraph.js's message-list semantics on plain JSON messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { END, MessagesAnnotation, REMOVE_ALL_MESSAGES, START, StateGraph, messagesStateReducer, type AIMessage, type BaseMessage } from "../index";

describe("messagesStateReducer", () => {
  it("appends new messages, replaces a message with the same id, and gives ids to those without", () => {
    const first: BaseMessage[] = [{ type: "human", id: "1", content: "hi" }];
    const next = messagesStateReducer(first, [{ type: "ai", id: "2", content: "hello", tool_calls: [] }, { type: "human", content: "again" }]);
    assert.deepEqual(next.map((m) => [m.type, m.content]), [["human", "hi"], ["ai", "hello"], ["human", "again"]]);
    assert.match(next[2].id!, /^[0-9a-f-]{36}$/);
    const replaced = messagesStateReducer(next, { type: "ai", id: "2", content: "edited", tool_calls: [] });
    assert.deepEqual(replaced.map((m) => m.content), ["hi", "edited", "again"]);
    assert.equal(first.length, 1, "inputs are not mutated");
  });

  it("coerces strings, [role, content] tuples and { role, content } objects", () => {
    const out = messagesStateReducer([], ["plain", ["assistant", "from tuple"], { role: "system", content: "sys" }]);
    assert.deepEqual(out.map((m) => m.type), ["human", "ai", "system"]);
    assert.deepEqual((out[1] as AIMessage).tool_calls, []);
    assert.deepEqual(messagesStateReducer([], ["user", "one tuple"]).map((m) => m.content), ["one tuple"]);
  });

  it("removes by id, or all messages", () => {
    const base: BaseMessage[] = [
      { type: "human", id: "a", content: "1" },
      { type: "human", id: "b", content: "2" },
    ];
    assert.deepEqual(messagesStateReducer(base, { type: "remove", id: "a" }).map((m) => m.id), ["b"]);
    assert.deepEqual(messagesStateReducer(base, [{ type: "remove", id: REMOVE_ALL_MESSAGES }, { type: "human", id: "c", content: "3" }]).map((m) => m.id), ["c"]);
    assert.throws(() => messagesStateReducer(base, { type: "remove", id: "zzz" }), /doesn't exist/);
  });

  it("works as MessagesAnnotation in a graph", async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("bot", (s) => ({ messages: [{ type: "ai", id: "r", content: `echo ${s.messages.at(-1)?.content}`, tool_calls: [] } satisfies AIMessage] }))
      .addEdge(START, "bot")
      .addEdge("bot", END)
      .compile();
    const out = await graph.invoke({ messages: [{ role: "user", content: "ping" }] });
    assert.deepEqual(out.messages.map((m) => m.content), ["ping", "echo ping"]);
  });
});
