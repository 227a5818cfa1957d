// A thread holding @langchain/core messages, continued by a new saver over the same file (a restart):
// its messages come back as message instances, not as LangChain's serialized envelopes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AIMessage, HumanMessage, isBaseMessage } from "@langchain/core/messages";
import { END, MessagesAnnotation, START, StateGraph } from "../../index";
import { SqliteSaver } from "./sqliteSaver";

const dir = mkdtempSync(join(tmpdir(), "rill-langchain-values-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function chat(checkpointer: SqliteSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode("reply", (state) => ({ messages: [new AIMessage({ content: `heard ${state.messages.length}`, id: `ai-${state.messages.length}` })] }))
    .addEdge(START, "reply")
    .addEdge("reply", END)
    .compile({ checkpointer });
}

describe("SqliteSaver with LangChain messages", () => {
  it("reads a restarted thread's messages back as message instances, and the next turn appends", async () => {
    const file = join(dir, "chat.db");
    const config = { configurable: { thread_id: "t1" } };
    const first = new SqliteSaver(file);
    await chat(first).invoke({ messages: [new HumanMessage({ content: "hi", id: "h-1" })] }, config);
    await first.close();

    const second = new SqliteSaver(file);
    const graph = chat(second);
    const before = await graph.getState(config);
    const messages = (before.values as { messages: unknown[] }).messages;
    assert.equal(messages.length, 2);
    for (const message of messages) assert.ok(isBaseMessage(message), `expected a message instance, got ${JSON.stringify(message)}`);
    assert.ok(messages[0] instanceof HumanMessage);
    assert.ok(messages[1] instanceof AIMessage);
    assert.equal((messages[1] as AIMessage).content, "heard 1");

    const out = await graph.invoke({ messages: [new HumanMessage({ content: "again", id: "h-2" })] }, config);
    assert.deepEqual(
      out.messages.map((m) => [m.getType(), m.content]),
      [["human", "hi"], ["ai", "heard 1"], ["human", "again"], ["ai", "heard 3"]],
    );
    await second.close();
  });
});
