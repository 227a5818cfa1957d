import { test } from "node:test";
import assert from "node:assert/strict";
import { firstOfStep, nodesOfStep, stateIndexOfStep } from "./stepSelection";

test("a selected step finds its first entry, its state and its nodes; none selected finds nothing", () => {
  const entries = [{ step: 1 }, { step: 2 }, { step: 2 }, { step: 3 }];
  assert.equal(firstOfStep(entries, 4, 2), 1);
  assert.equal(firstOfStep(entries, 4, 5), null);
  assert.equal(firstOfStep(entries, 1, 2), null, "only the first `count` entries");
  assert.equal(firstOfStep(entries, 4, null), null);

  const values = [{ step: 0 }, { step: 1 }, { step: 3 }];
  assert.equal(stateIndexOfStep(values, 3, null), 2, "null follows the newest");
  assert.equal(stateIndexOfStep(values, 3, 1), 1);
  assert.equal(stateIndexOfStep(values, 3, 2), 1, "a step that left no state shows the state before it");
  assert.equal(stateIndexOfStep(values, 2, 3), 1, "only the first `count` states");

  const tasks = [
    { step: 1, nodeKey: "refine_topic" },
    { step: 2, nodeKey: "writers_room" },
    { step: 2, nodeKey: "writers_room/pick" },
  ];
  assert.deepEqual([...nodesOfStep(2, tasks, [])!], ["writers_room", "writers_room/pick"]);
  assert.equal(nodesOfStep(null, tasks, []), null);
  // Without tasks (no debug), the updates say which nodes ran; interrupts are not nodes.
  const updates = [
    { step: 1, nodeKey: "a", isInterrupt: false },
    { step: 1, nodeKey: "__interrupt__", isInterrupt: true },
  ];
  assert.deepEqual([...nodesOfStep(1, [], updates)!], ["a"]);
});
