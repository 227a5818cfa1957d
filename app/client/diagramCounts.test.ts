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
