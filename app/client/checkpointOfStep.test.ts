import { test } from "node:test";
import assert from "node:assert/strict";
import { checkpointOfStep, checkpointStepLabel } from "./checkpointOfStep";

const debug = (step: number, id: string, ns = "") => ({ step, payload: { config: { configurable: { checkpoint_id: id, checkpoint_ns: ns } } } });

test("a step's checkpoint is the run's own last top-level checkpoint of that step", () => {
  const found = checkpointOfStep(1, [debug(0, "a"), debug(1, "b"), debug(1, "inner", "writers:1"), debug(1, "c")], [], "r1");
  assert.deepEqual(found, { step: 1, checkpointId: "c" });
});

test("without debug events it is the thread history's entry of this run, else the only one of the step", () => {
  const history = [
    { checkpointId: "h3", metadata: { step: 1, run_id: "r2" } },
    { checkpointId: "h2", metadata: { step: 1, run_id: "r1" } },
    { checkpointId: "h1", metadata: { step: 0 } },
  ];
  assert.deepEqual(checkpointOfStep(1, [], history, "r1"), { step: 1, checkpointId: "h2" });
  assert.deepEqual(checkpointOfStep(0, [], history, "r9"), { step: 0, checkpointId: "h1" });
  assert.equal(checkpointOfStep(1, [], history, "r9"), null);
  assert.equal(checkpointOfStep(null, [debug(0, "a")], history, "r1"), null);
});

test("history rows label the input checkpoint and numbered steps", () => {
  assert.equal(checkpointStepLabel({ step: -1 }), "input");
  assert.equal(checkpointStepLabel({ step: 3 }), "step 3");
  assert.equal(checkpointStepLabel({}), "step ?");
});
