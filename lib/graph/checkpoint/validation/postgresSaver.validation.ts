// Rill's PostgresSaver against LangGraph's checkpoint-validation suite, in a database of this run's own
// (created and dropped here), a schema per checkpointer. Skipped, saying why, when no PostgreSQL answers
// at 127.0.0.1:5432, unless RILL_TEST_REQUIRE_POSTGRES=1 (CI), which makes that a failure.
import { describe, it } from "vitest";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import type { BaseCheckpointSaver as LangGraphSaver } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "../postgres/postgresSaver";
import { createTestDatabase, postgresSkipReason, testPool } from "../postgres/test/testDatabase";

const database = await createTestDatabase();

if (database === null) {
  console.warn(`checkpoint-validation: ${postgresSkipReason}`);
  describe("Rill PostgresSaver", () => {
    it.skip(postgresSkipReason ?? "no PostgreSQL", () => undefined);
  });
} else {
  const pool = testPool(database.url);
  let n = 0;
  validate<LangGraphSaver>({
    checkpointerName: "Rill PostgresSaver",
    createCheckpointer: async (): Promise<LangGraphSaver> => {
      const saver = new PostgresSaver({ pool, schema: `v${++n}` });
      await saver.setup();
      return saver as unknown as LangGraphSaver;
    },
    destroyCheckpointer: async (saver) => (saver as unknown as PostgresSaver).close(),
    afterAll: async () => {
      await pool.end();
      await database.drop();
    },
  });
}
