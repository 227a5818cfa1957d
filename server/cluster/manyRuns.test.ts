// Many runs at once on one process of a deployment lose no event. Each commit of the run store locks the
// leases of the runs it writes (fencing) and deletes those of the runs that end, while the lease renewal
// updates every lease of the process: when the two locked the rows in different orders (and the commit first
// for share, then upgraded to delete), PostgreSQL broke the deadlock by aborting a commit, whose events were
// then lost (a second round of 200 runs of 200 events lost events of nearly every run). Both now lock in run
// id order, for update at once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connect, type TestClient } from "../test/harness";
import { startClusterProcess, type ClusterProcess } from "./test/clusterProcess";
import { deploymentServices } from "./test/deployment";

const { database, redis, skip } = await deploymentServices();
const RUNS = 200;
const TICKS = 200;

describe("many runs at once on one process of a deployment", { skip }, () => {
  let server: ClusterProcess;
  let client: TestClient;

  before(async () => {
    server = await startClusterProcess({
      DATABASE_URL: database!.url,
      REDIS_URL: redis!.url,
      RILL_REDIS_PREFIX: redis!.prefix,
      RILL_INSTANCE_ID: "many-runs",
      TICK_MS: "0",
      RILL_MAX_RUNS: String(RUNS + 50),
      RILL_MAX_RUNS_PER_CLIENT: String(RUNS + 50),
      RILL_MAX_CALLS_PER_SECOND: "1000000",
      RILL_MAX_BATCH_SIZE: String(RUNS + 50),
    });
    client = connect(server);
  });

  after(async () => {
    await client?.close();
    await server?.stop();
    await redis?.cleanup();
    await database?.drop();
  });

  for (const round of [1, 2, 3]) {
    // Before the fix, runs whose commit was aborted never ended: the timeout turns that hang into a failure.
    it(`round ${round}: ${RUNS} runs of ${TICKS} events each, every event of every run delivered`, { timeout: 120_000 }, async () => {
      const counts = await Promise.all(
        Array.from(
          { length: RUNS },
          (_, i) =>
            new Promise<{ events: number; end: unknown }>((resolve, reject) => {
              let events = 0;
              let end: unknown = null;
              client.trpc.runs.stream.subscribe(
                { graphId: "ticks", input: { total: TICKS }, streamMode: ["custom"], runId: `many-${round}-${i}-${process.pid}` },
                {
                  onData: ({ data }) => {
                    if (data[0] === "custom") events++;
                    else end = data;
                  },
                  onError: reject,
                  onComplete: () => resolve({ events, end }),
                },
              );
            }),
        ),
      );
      const short = counts.filter((c) => c.events !== TICKS);
      assert.equal(short.length, 0, `${short.length} runs lost events, e.g. ${JSON.stringify(short.slice(0, 2))}`);
      assert.ok(counts.every((c) => JSON.stringify(c.end) === JSON.stringify(["status", { status: "done" }])), "every run done");
      assert.equal(server.stderr().includes("deadlock"), false, "no commit was aborted by a deadlock");
    });
  }
});
