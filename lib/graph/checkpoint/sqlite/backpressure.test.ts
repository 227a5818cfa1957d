// A run checkpointed by SqliteSaver's commit thread waits when the thread falls behind: the batches sent and
// not yet committed stay bounded (SqliteSaver.unansweredLimit), instead of piling up while the engine
// produces rows faster than the file takes them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import Database from "better-sqlite3";
import { watchedLoop } from "../durable/test/watchedLoop";
import { SqliteSaver } from "./sqliteSaver";
import { storedCounts } from "./test/storedCounts";

const dir = mkdtempSync(join(tmpdir(), "rill-backpressure-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("keeps at most its limit of batches unanswered while the file is held up, then ends the run", { timeout: 60_000 }, async () => {
  const file = join(dir, "held.db");
  const saver = new SqliteSaver(file);
  saver.unansweredLimit = 4;
  const unanswered = () => (saver as unknown as { thread: { unanswered: number } | null }).thread?.unanswered ?? 0;
  // Another connection holds the write lock from the start: the commit thread cannot commit until it is let
  // go, which happens once the thread has `limit` batches unanswered (seen from a node, on this thread).
  const holder = new Database(file);
  holder.exec("BEGIN IMMEDIATE");
  let held = true;
  let most = 0;
  const steps = 3_000;
  const run = watchedLoop(saver, steps, () => {
    const now = unanswered();
    most = Math.max(most, now);
    if (held && now >= saver.unansweredLimit) {
      holder.exec("COMMIT");
      held = false;
    }
  });
  const out = await run("held");
  assert.equal(out.n, steps);
  assert.equal(held, false, "the lock was let go");
  // The step that sent one batch over the limit waits, and an empty batch may end the open transaction.
  assert.ok(most <= saver.unansweredLimit + 2, `at most ${saver.unansweredLimit + 2} batches unanswered, saw ${most}`);
  assert.equal(storedCounts(holder, "held").checkpoints, steps + 2, "every checkpoint committed: the input's, its start step's and one per node step");
  holder.close();
  await saver.close();
});
