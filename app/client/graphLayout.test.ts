// The diagram's layout of a graph with a subgraph: the subgraph node is drawn open, its nodes inside its
// box (without their start and end), or as one node when collapsed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { END, layoutGraph, START, type Structure } from "./graphLayout";

const edge = (source: string, target: string) => ({ source, target, conditional: false });
const ROOM: Structure = { nodes: [{ id: START }, { id: "brainstorm" }, { id: "pick" }, { id: END }], edges: [edge(START, "brainstorm"), edge("brainstorm", "pick"), edge("pick", END)] };
const SHOW: Structure = {
  nodes: [{ id: START }, { id: "refine_topic" }, { id: "writers_room" }, { id: "generate_joke" }, { id: END }],
  edges: [edge(START, "refine_topic"), edge("refine_topic", "writers_room"), edge("writers_room", "generate_joke"), edge("generate_joke", END)],
  subgraphs: { writers_room: ROOM },
};

test("a subgraph node holds its own nodes, laid out inside its box", () => {
  const layout = layoutGraph(SHOW);
  const room = layout.nodes.find((n) => n.id === "writers_room")!;
  assert.ok(room.inner, "writers_room is open");
  const { layout: inner, dx, dy } = room.inner;
  assert.deepEqual(inner.nodes.map((n) => n.id).sort(), ["brainstorm", "pick"]);
  assert.deepEqual(inner.edges.map((e) => `${e.source}->${e.target}`), ["brainstorm->pick"]);
  for (const n of inner.nodes) {
    assert.ok(n.x + dx >= room.x && n.x + dx + n.width <= room.x + room.width, `${n.id} inside horizontally`);
    assert.ok(n.y + dy >= room.y && n.y + dy + n.height <= room.y + room.height, `${n.id} inside vertically`);
  }
  const joke = layout.nodes.find((n) => n.id === "generate_joke")!;
  assert.ok(joke.y >= room.y + room.height, "the next node is below the whole box");
});

test("a collapsed subgraph is one node again", () => {
  const layout = layoutGraph(SHOW, new Set(["writers_room"]));
  const room = layout.nodes.find((n) => n.id === "writers_room")!;
  assert.equal(room.inner, undefined);
  assert.equal(room.height, layoutGraph(SHOW).nodes.find((n) => n.id === "refine_topic")!.height);
});
