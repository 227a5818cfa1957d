// After an interrupt and a resume every slice numbers steps as the engine does: the events come from the
// real run server (in-process, no Next) running the approval graph, folded by applyRunEvent as the page does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { liveServer } from "../../server/test/harness";
import { applyRunEvent, createRunData, type RunData } from "./runStore";
import type { WireRunEvent, WireStreamMode } from "./wireTypes";

const live = liveServer();

/** Runs approval, resumes it with "yes" when it interrupts, and folds every event into a RunData. */
async function approvalRun(runId: string, streamMode: WireStreamMode[]): Promise<RunData> {
  const run = createRunData();
  await new Promise<void>((resolve, reject) => {
    const sub = live.client.trpc.runs.stream.subscribe(
      { graphId: "approval", input: { topic: "ice cream" }, streamMode, runId },
      {
        onData: ({ id, data }) => {
          applyRunEvent(run, id, data as WireRunEvent, 0);
          if (data[0] !== "status") return;
          if (data[1].status === "interrupted") live.client.trpc.runs.resume.mutate({ runId, resume: "yes" }).catch(reject);
          if (data[1].status === "done") {
            sub.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      },
    );
  });
  return run;
}

test("after a resume, updates, state, timeline and tokens agree on the engine's step numbers", async () => {
  const run = await approvalRun("resume-steps-1", ["values", "updates", "debug", "messages"]);
  assert.equal(run.status, "done");
  const updates = run.updates.filter((u) => !u.isInterrupt).map((u) => [u.node, u.step]);
  assert.deepEqual(updates, [["refine_topic", 1], ["review", 2], ["generate_joke", 3]]);
  const tasks = run.tasks.map((t) => [t.name, t.step, t.state]);
  assert.deepEqual(tasks, [["refine_topic", 1, "done"], ["review", 2, "done"], ["generate_joke", 3, "done"]]);
  // The state resumed from is not a new step: input, then one state per step.
  assert.deepEqual(run.values.map((v) => v.step), [0, 1, 2, 3]);
  assert.equal(run.values[2]!.values.approved, "yes");
  for (const m of run.messages) assert.equal(m.step, run.tasks.find((t) => t.name === m.node)!.step);
});

test("without debug the step numbers still agree after a resume", async () => {
  const run = await approvalRun("resume-steps-2", ["values", "updates"]);
  assert.deepEqual(run.updates.filter((u) => !u.isInterrupt).map((u) => [u.node, u.step]), [["refine_topic", 1], ["review", 2], ["generate_joke", 3]]);
  assert.deepEqual(run.values.map((v) => v.step), [0, 1, 2, 3]);
});
