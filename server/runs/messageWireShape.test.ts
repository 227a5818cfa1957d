// Message instances on the wire: the LangGraph Agent Server's plain shape (`{ ...toDict().data, type }`),
// chunks typed "AIMessageChunk"; events without instances are serialized exactly as JSON.stringify does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { stringifyRunEvent } from "./messageWireShape";

describe("stringifyRunEvent", () => {
  it("sends message instances as the Agent Server's plain objects, wherever they sit in the event", () => {
    const ai = new AIMessage({ content: "", id: "a1", name: "calc", tool_calls: [{ id: "c1", name: "add", args: { a: 1 } }] });
    const tool = new ToolMessage({ content: "2", tool_call_id: "c1", name: "add", status: "success", id: "t1" });
    const event = ["values", { messages: [new HumanMessage({ content: "hi", id: "h1" }), ai, tool], other: { lc: 2 } }];
    const wire = JSON.parse(stringifyRunEvent(event));
    assert.deepEqual(wire[1].messages[0], { content: "hi", additional_kwargs: {}, response_metadata: {}, id: "h1", type: "human" });
    assert.deepEqual(wire[1].messages[1].tool_calls, [{ id: "c1", name: "add", args: { a: 1 } }]);
    assert.equal(wire[1].messages[1].name, "calc");
    assert.deepEqual(wire[1].messages[1], { ...(ai.toDict().data as object), type: "ai" });
    assert.deepEqual(wire[1].messages[2], { ...(tool.toDict().data as object), type: "tool" });
    assert.deepEqual(wire[1].other, { lc: 2 });
  });

  it("keeps a streamed chunk's type AIMessageChunk, with its tool-call chunks", () => {
    const chunk = new AIMessageChunk({ content: "", id: "r1", tool_call_chunks: [{ id: "c1", name: "add", args: '{"a"', index: 0 }] });
    const [, [message, metadata]] = JSON.parse(stringifyRunEvent(["messages", [chunk, { langgraph_node: "agent" }]]));
    assert.equal(message.type, "AIMessageChunk");
    assert.deepEqual(message.tool_call_chunks, [{ id: "c1", name: "add", args: '{"a"', index: 0 }]);
    assert.deepEqual(metadata, { langgraph_node: "agent" });
  });

  it("leaves events without message instances as JSON.stringify writes them", () => {
    const plain = ["messages", [{ type: "AIMessageChunk", id: "x", content: "a", tool_call_chunks: [] }, { n: 1 }]];
    assert.equal(stringifyRunEvent(plain), JSON.stringify(plain));
  });
});
