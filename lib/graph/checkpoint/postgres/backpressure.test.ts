// A run checkpointed by PostgresSaver waits when the server falls behind: the rows sent and not yet read by
// the server stay bounded (PostgresSaver.maxBufferedBytes), instead of piling up in the connection's buffer
// while the engine produces rows faster than the server takes them.
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, it } from "node:test";
import pg from "pg";
import { watchedLoop } from "../durable/test/watchedLoop";
import { PostgresSaver } from "./postgresSaver";
import { storedCheckpoints } from "./test/storedCheckpoints";
import { createTestDatabase, postgresSkipReason } from "./test/testDatabase";

const database = await createTestDatabase();

if (database === null) {
  it("PostgresSaver backpressure against a real PostgreSQL", { skip: postgresSkipReason }, () => undefined);
} else {
  after(() => database.drop());

  it("keeps the bytes the server has not read under its limit while the table is locked, then ends the run", { timeout: 120_000 }, async () => {
    const saver = new PostgresSaver({ connectionString: database.url, schema: "held" });
    await saver.setup();
    saver.maxBufferedBytes = 512 * 1024;
    const buffered = () => {
      const pipeline = (saver as unknown as { pipeline: { connected: { connection?: { stream?: Socket } } | null } }).pipeline;
      return pipeline.connected?.connection?.stream?.writableLength ?? 0;
    };
    // Another session locks the checkpoint tables against inserts: the server stops reading the saver's rows
    // until it is let go, which happens at a turn of the event loop once the connection holds more than the
    // limit: a run that waits gives it that turn at once; one that did not would go on writing until its
    // next yield (20 ms of steps, far more than a batch).
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE "held".rill_checkpoints, "held".rill_checkpoint_chains IN SHARE MODE');
    let held = true;
    let running = true;
    let most = 0;
    const steps = 40_000;
    const run = watchedLoop(saver, steps, () => void (most = Math.max(most, buffered())));
    const letGo = () => {
      if (!running) return;
      if (buffered() <= saver.maxBufferedBytes) return void setImmediate(letGo);
      held = false;
      void holder.query("COMMIT");
    };
    setImmediate(letGo);
    try {
      const out = await run("held");
      assert.equal(out.n, steps);
      assert.equal(held, false, "the lock was let go");
      // A step's rows go out a batch at a time (at most 256 operations): the step that crossed the limit
      // waits, and its nodes saw at most the limit.
      assert.ok(most <= saver.maxBufferedBytes, `at most the limit buffered when a node ran, saw ${most} bytes`);
      assert.equal(await storedCheckpoints(holder, "held", "held"), steps + 2, "every checkpoint committed: the input's, its start step's and one per node step");
    } finally {
      running = false;
      if (held) await holder.query("COMMIT");
      await holder.end();
      await saver.close();
    }
  });
}
