// npm run bench:project — a user's graph (bench/project/, written for @langchain/langgraph) run through the
// server, on Rill's engine and with "engine": "langgraph": start-to-done time of one run, as a client sees
// it (runs.stream subscribe until the subscription completes), for a 2-node graph and a 1,000-step loop.
// Same server, same client, same module; runs of the two engines are interleaved round by round, and the
// median over rounds is printed with the ratio.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import { readProjectConfig } from "../server/project/projectConfig";
import { createRillServer } from "../server/rillServer";
import type { AppRouter } from "../server/router";
import { median } from "./medianTimer";

const LOOP_STEPS = 1_000;
const WARMUP = { "2-node graph": 50, "1,000-step loop": 5 };
const ROUNDS = { "2-node graph": 200, "1,000-step loop": 15 };

const here = path.dirname(fileURLToPath(import.meta.url));
const server = await createRillServer({
  next: false,
  project: readProjectConfig(path.join(here, "project", "langgraph.json")),
  config: { port: 0, host: "127.0.0.1", logLevel: "error", maxRecursionLimit: LOOP_STEPS + 10, storeMaxRuns: 100_000, storage: { kind: "memory", dataDir: "", databaseUrl: undefined } },
  env: { ...process.env, OPENAI_API_KEY: "" },
});
const wsClient = createWSClient({ url: server.wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });

function runOnce(graphId: string, input: Record<string, unknown>, recursionLimit?: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let failed: string | undefined;
    client.runs.stream.subscribe(
      { graphId, input, streamMode: ["updates"], ...(recursionLimit ? { config: { recursionLimit } } : {}) },
      {
        onData: ({ data }) => {
          if (data[0] === "status" && data[1].status !== "done") failed = JSON.stringify(data[1]);
          if (data[0] === "error") failed = JSON.stringify(data[1]);
        },
        onError: reject,
        onComplete: () => (failed ? reject(new Error(`${graphId}: ${failed}`)) : resolve(performance.now() - started)),
      },
    );
  });
}

const workloads = [
  { name: "2-node graph" as const, rill: "two-node", langgraph: "two-node-on-langgraph", input: { topic: "ice cream" }, limit: undefined },
  { name: "1,000-step loop" as const, rill: "loop", langgraph: "loop-on-langgraph", input: { count: 0, steps: LOOP_STEPS }, limit: LOOP_STEPS + 5 },
];

console.log("bench:project — a user graph through the server (runs.stream, start to done), median over interleaved rounds\n");
console.log("| workload | engine: langgraph | engine: rill | rill faster by |");
console.log("| --- | --- | --- | --- |");
for (const workload of workloads) {
  for (let i = 0; i < WARMUP[workload.name]; i++) {
    await runOnce(workload.rill, workload.input, workload.limit);
    await runOnce(workload.langgraph, workload.input, workload.limit);
  }
  const rill: number[] = [];
  const langgraph: number[] = [];
  for (let i = 0; i < ROUNDS[workload.name]; i++) {
    rill.push(await runOnce(workload.rill, workload.input, workload.limit));
    langgraph.push(await runOnce(workload.langgraph, workload.input, workload.limit));
  }
  const [r, l] = [median(rill), median(langgraph)];
  console.log(`| ${workload.name} | ${l.toFixed(2)} ms | ${r.toFixed(2)} ms | ${(l / r).toFixed(1)}x |`);
}

await wsClient.close();
await server.close();
