// A run of the subgraph graph with `subgraphs: true`, from the real run server (in-process, no Next),
// folded by applyRunEvent as the page does: brainstorm and pick are entries of their own, labelled with
// the namespace writers_room:<taskId>, at the step of the writers_room task, and the run's own steps,
// states and node states are the root's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { liveServer } from "../../server/test/harness";
import { nestTasks } from "./nestedTasks";
import { applyRunEvent, createRunData, type RunData } from "./runStore";
import { innerNodeKey, matchesNodeFilter, subgraphScope } from "./subgraphScope";
import type { WireRunEvent, WireStreamMode } from "./wireTypes";

const live = liveServer();

async function subgraphRun(streamMode: WireStreamMode[], subgraphs: boolean): Promise<RunData> {
  const run = createRunData();
  await new Promise<void>((resolve, reject) => {
    live.client.trpc.runs.stream.subscribe(
      { graphId: "subgraph", input: { topic: "ice cream" }, streamMode, subgraphs },
      { onData: ({ id, data }) => void applyRunEvent(run, id, data as WireRunEvent, 0), onError: reject, onComplete: resolve },
    );
  });
  return run;
}

const ALL: WireStreamMode[] = ["values", "updates", "custom", "messages", "debug"];

test("inner nodes are entries of their own, with their namespace and the parent task's step", async () => {
  const run = await subgraphRun(ALL, true);
  assert.equal(run.status, "done");
  assert.equal(run.subgraphs, true);
  const parent = run.tasks.find((t) => t.name === "writers_room")!;
  const ns = `writers_room:${parent.id}`;
  assert.deepEqual(
    run.updates.map((u) => [u.nodeKey, u.step, u.scope?.label ?? null]),
    [
      ["refine_topic", 1, null],
      ["writers_room/brainstorm", 2, ns],
      ["writers_room/pick", 2, ns],
      ["writers_room", 2, null],
      ["generate_joke", 3, null],
    ],
  );
  assert.deepEqual(
    run.tasks.map((t) => [t.nodeKey, t.step, t.state, t.scope?.label ?? null]),
    [
      ["refine_topic", 1, "done", null],
      ["writers_room", 2, "done", null],
      ["writers_room/brainstorm", 2, "done", ns],
      ["writers_room/pick", 2, "done", ns],
      ["generate_joke", 3, "done", null],
    ],
  );
  // The subgraph's own steps (1, 2) and states do not count as the run's.
  assert.equal(run.knownStep, 3);
  assert.deepEqual(run.values.map((v) => v.step), [0, 1, 2, 3]);
  assert.deepEqual(Object.keys(run.values.at(-1)!.values).sort(), ["angle", "joke", "topic"]);
  assert.deepEqual(run.custom.map((c) => [c.node, c.scope?.label ?? null]), [["pick", ns]]);
  assert.equal(run.nodes.get("writers_room/brainstorm"), "done");
  assert.equal(run.nodes.get("writers_room/pick"), "done");
  assert.equal(run.nodes.has("pick"), false, "an inner node is not mistaken for a root node");
  assert.equal(run.subgraphTasks, 2);
});

test("the timeline nests inner tasks under their parent, and a subgraph node's filter takes its inner nodes", async () => {
  const run = await subgraphRun(["updates", "debug"], true);
  assert.deepEqual(nestTasks(run.tasks, run.tasks.length).map((t) => t.nodeKey), [
    "refine_topic",
    "writers_room",
    "writers_room/brainstorm",
    "writers_room/pick",
    "generate_joke",
  ]);
  assert.deepEqual(run.updates.filter((u) => matchesNodeFilter(u.nodeKey, "writers_room")).map((u) => u.nodeKey), ["writers_room/brainstorm", "writers_room/pick", "writers_room"]);
  assert.deepEqual(run.updates.filter((u) => matchesNodeFilter(u.nodeKey, "writers_room/pick")).map((u) => u.node), ["pick"]);
  assert.equal(matchesNodeFilter("writers_roomX", "writers_room"), false);
});

test("without subgraphs the run is folded as before: the subgraph is one node", async () => {
  const run = await subgraphRun(ALL, false);
  assert.equal(run.subgraphs, false);
  assert.deepEqual(run.updates.map((u) => u.nodeKey), ["refine_topic", "writers_room", "generate_joke"]);
  assert.equal(run.subgraphTasks, 0);
  assert.ok(run.updates.every((u) => u.scope === null));
});

test("nestTasks moves a subgraph's tasks under their parent when a sibling of the parent started after it", () => {
  const scopes = new Map();
  const task = (id: string, name: string, ns: string[] = []) => {
    const scope = ns.length ? subgraphScope(scopes, ns) : null;
    return { id, name, step: 1, triggers: [], input: null, startedAt: 0, endedAt: null, result: undefined, error: null, interrupts: [], state: "running" as const, scope, nodeKey: innerNodeKey(scope, name) };
  };
  const tasks = [task("a", "room"), task("b", "other"), task("c", "brainstorm", ["room:a"]), task("d", "deep", ["room:a", "brainstorm:c"]), task("e", "pick", ["room:a"])];
  assert.deepEqual(nestTasks(tasks, tasks.length).map((t) => t.nodeKey), ["room", "room/brainstorm", "room/brainstorm/deep", "room/pick", "other"]);
  assert.deepEqual(nestTasks(tasks, 2).map((t) => t.id), ["a", "b"]);
});
