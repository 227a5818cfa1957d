// One process of a test deployment: the real server, its store and Redis from the environment
// (DATABASE_URL, REDIS_URL, RILL_INSTANCE_ID, RILL_REDIS_PREFIX, RILL_LEASE_MS), the graphs' checkpoints
// in PostgreSQL (DATABASE_URL: shared by every process, as a deployment's are; in memory without it). Graphs: the restart
// tests' "steps" (RESTART_HANG_AT=k hangs it in step k) and "approve" (CHECKPOINTS_NEVER_SAVED=1: no checkpoint saved), and "ticks", which writes
// `{ tick }` every TICK_MS for `total` ticks (a run that goes on by itself for a while).
// Prints `listening <url>` once it listens.
import { z } from "zod";
import type { GraphDefinition } from "../../../graphs/graphDefinition";
import { Annotation, END, START, StateGraph } from "../../../lib/graph";
import type { BaseCheckpointSaver } from "../../../lib/graph/checkpoint/base";
import { PostgresSaver } from "../../../lib/graph/checkpoint/postgres";
import { MemorySaver } from "../../../lib/graph";
import { createRillServer } from "../../rillServer";
import { approveGraph, stepsGraph } from "../../runs/test/restartGraphs";
import { saverFromEnv } from "../../runs/test/unsavedCheckpoints";

const TicksState = Annotation.Root({ total: Annotation<number>(), n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
const ticksInput = z.strictObject({ total: z.number().int().min(1).max(10_000) });
const tickMs = Number(process.env.TICK_MS ?? "20");
const withTimes = process.env.TICK_TIMES === "1";

function ticksGraph(checkpointer: BaseCheckpointSaver): GraphDefinition<typeof ticksInput> {
  return {
    id: "ticks",
    title: "Ticks (test)",
    description: "Writes { tick } every TICK_MS, total times.",
    input: ticksInput,
    exampleInput: { total: 3 },
    build() {
      return new StateGraph(TicksState)
        .addNode("tick", async (state, config) => {
          let n = state.n;
          // Ten ticks a superstep: a checkpoint every ten.
          for (let i = 0; i < 10 && n < state.total; i++) {
            await new Promise((resolve) => setTimeout(resolve, tickMs));
            n += 1;
            // `at`: when it was emitted (epoch ms, fractional), for bench/scale.ts's emit→receive latency.
            config.writer?.({ tick: n, ...(withTimes ? { at: performance.timeOrigin + performance.now() } : {}) });
          }
          return { n };
        })
        .addEdge(START, "tick")
        .addConditionalEdges("tick", (state) => (state.n < state.total ? "tick" : END))
        .compile({ checkpointer });
    },
  };
}

// Without DATABASE_URL (bench/scale.ts's single in-memory process): checkpoints in memory.
let saver: BaseCheckpointSaver;
if (process.env.DATABASE_URL) {
  const postgres = new PostgresSaver({ connectionString: process.env.DATABASE_URL });
  await postgres.setup();
  saver = postgres;
} else saver = new MemorySaver();
saver = saverFromEnv(saver);
const hangAt = process.env.RESTART_HANG_AT ? Number(process.env.RESTART_HANG_AT) : null;
const server = await createRillServer({
  next: false,
  env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
  graphs: [stepsGraph(saver, hangAt), approveGraph(saver), ticksGraph(saver)],
  // LOG_LEVEL: a test waiting for an info line sets it (warnings only otherwise).
  config: { port: 0, host: "127.0.0.1", logLevel: process.env.LOG_LEVEL === "info" ? "info" : "warn", shutdownTimeoutMs: 3000 },
});
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
