import { test } from "node:test";
import assert from "node:assert/strict";
import { DiagramCounter, diagramCounts, edgeLabel } from "./diagramCounts";
import { END, START } from "./graphLayout";

test("a loop's edges and a Send fan-out are counted from the run's tasks", () => {
  const edges = [
    { source: START, target: "draft", conditional: false },
    { source: "draft", target: "draft", conditional: true },
    { source: "draft", target: "polish", conditional: true },
    { source: "polish", target: END, conditional: false },
  ];
  const tasks = [
    { name: "draft", step: 1, triggers: ["branch:to:draft"] },
    { name: "draft", step: 2, triggers: ["branch:to:draft"] },
    { name: "draft", step: 3, triggers: ["branch:to:draft"] },
    { name: "polish", step: 4, triggers: ["branch:to:polish"] },
  ];
  const counts = diagramCounts(tasks, tasks.length, edges);
  assert.deepEqual([...counts.nodes], [["draft", 3], ["polish", 1]]);
  assert.deepEqual(counts.edges.map((e) => e.taken), [1, 2, 1, 0]);
  assert.equal(edgeLabel(counts.edges[1]), "×2");
  assert.equal(diagramCounts(tasks, 0, edges).edges[1]!.taken, 0, "only the first taskCount tasks count");

  const fanOut = [
    { source: START, target: "plan", conditional: false },
    { source: "plan", target: "write", conditional: true },
  ];
  const sent = [
    { name: "plan", step: 1, triggers: [] },
    ...[1, 2, 3].map(() => ({ name: "write", step: 2, triggers: ["__pregel_push"] })),
  ];
  const fan = diagramCounts(sent, sent.length, fanOut);
  assert.equal(edgeLabel(fan.edges[1]), "Send ×3");
  assert.equal(fan.nodes.get("write"), 3);
  assert.equal(edgeLabel(undefined), "if");
});

test("counted as tasks arrive, the counts equal counting all at once", () => {
  const edges = [
    { source: START, target: "a", conditional: false },
    { source: "a", target: "a", conditional: true },
    { source: "a", target: END, conditional: true },
  ];
  const tasks = Array.from({ length: 50 }, (_, i) => ({ name: "a", step: i + 1, triggers: [] as string[] }));
  const counter = new DiagramCounter(edges);
  for (let n = 0; n <= tasks.length; n += 7) counter.update(tasks, n);
  const live = counter.update(tasks, tasks.length);
  const once = diagramCounts(tasks, tasks.length, edges);
  assert.deepEqual(live.edges, once.edges);
  assert.equal(live.edges[1]!.taken, 49);
  assert.equal(live.nodes.get("a"), 50);
});

test("a subgraph's edges are counted from its own steps, each run of it apart, its fan-outs too", () => {
  const root = [
    { source: START, target: "room", conditional: false },
    { source: "room", target: END, conditional: false },
  ];
  const subgraphs = {
    room: {
      nodes: [{ id: "plan" }, { id: "write" }],
      edges: [
        { source: START, target: "plan", conditional: false },
        { source: "plan", target: "write", conditional: true },
        { source: "write", target: END, conditional: false },
      ],
    },
  };
  const inRun = (label: string) => ({ label, path: "room" });
  const tasks = [
    { name: "room", step: 1, triggers: [] },
    { name: "plan", nodeKey: "room/plan", step: 1, innerStep: 1, triggers: [], scope: inRun("room:t1") },
    ...[1, 2].map(() => ({ name: "write", nodeKey: "room/write", step: 1, innerStep: 2, triggers: ["__pregel_push"], scope: inRun("room:t1") })),
    // A second run of the subgraph: its step 2 follows its own step 1, not the first run's.
    { name: "room", step: 2, triggers: [] },
    { name: "write", nodeKey: "room/write", step: 2, innerStep: 2, triggers: ["__pregel_push"], scope: inRun("room:t2") },
    // Without its own step (no debug) an inner task counts for its node only.
    { name: "plan", nodeKey: "room/plan", step: 2, triggers: [], scope: inRun("room:t2") },
  ];
  const counts = diagramCounts(tasks, tasks.length, root, subgraphs);
  assert.deepEqual(counts.inner.get("room")!.map((e) => e.taken), [1, 2, 0]);
  assert.equal(edgeLabel(counts.inner.get("room")![1]), "Send ×2");
  assert.equal(counts.nodes.get("room/write"), 3);
  assert.equal(counts.nodes.get("room/plan"), 2);
  assert.deepEqual(counts.edges.map((e) => e.taken), [1, 0], "the root's edges from the root's steps only");
});
