// The client side of bench/stream.ts's scale test, run as a child process (the browsers of a real
// deployment are not in the server's process either): starts `runs` ticker runs over `connections`
// WebSocket connections, one subscription each, spread evenly over `rampMs`, and reports every tuple's
// emit time and emit-to-receive latency.
// Emit times are stamped by the server process as performance.timeOrigin + performance.now(): the same
// wall clock as this process's, to a fraction of a millisecond.
import { performance } from "node:perf_hooks";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import type { AppRouter } from "../server/router";

export interface ScaleClientsConfig {
  wsUrl: string;
  runs: number;
  connections: number;
  ticks: number;
  intervalMs: number;
  /** Runs start spread evenly over this long. */
  rampMs: number;
}

export interface ScaleClientsReport {
  latencies: number[];
  /** Epoch ms at which each tuple (same index in `latencies`) was emitted. */
  emittedAt: number[];
  /** Epoch ms at which the last run was started. */
  lastStartAt: number;
  incompleteRuns: number;
  seconds: number;
}

async function main(config: ScaleClientsConfig): Promise<ScaleClientsReport> {
  const clients = Array.from({ length: config.connections }, () => {
    const wsClient = createWSClient({ url: config.wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    return { wsClient, trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }) };
  });
  const latencies: number[] = [];
  const emittedAt: number[] = [];
  let lastStartAt = 0;
  let incompleteRuns = 0;
  const started = performance.now();
  await Promise.all(
    Array.from(
      { length: config.runs },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          let events = 0;
          // Runs start spread over the ramp, as independent users' runs would, rather than all in the
          // same millisecond.
          const startIn = (i / config.runs) * config.rampMs;
          setTimeout(() => {
            lastStartAt = Math.max(lastStartAt, performance.timeOrigin + performance.now());
            clients[i % config.connections]!.trpc.runs.stream.subscribe(
              {
                graphId: "ticker",
                input: { count: config.ticks, every: 1, delayMs: config.intervalMs, stamp: true },
                streamMode: ["custom"],
              },
              {
                onData: ({ data }) => {
                  events++;
                  if (data[0] === "custom") {
                    const at = (data[1] as { at?: number }).at;
                    if (at !== undefined) {
                      latencies.push(performance.timeOrigin + performance.now() - at);
                      emittedAt.push(at);
                    }
                  }
                },
                onError: reject,
                onComplete: () => {
                  if (events !== config.ticks + 2) incompleteRuns++;
                  resolve();
                },
              },
            );
          }, startIn);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.wsClient.close()));
  return { latencies, emittedAt, lastStartAt, incompleteRuns, seconds };
}

process.once("message", (config: ScaleClientsConfig) => {
  main(config).then(
    (report) => process.send!(report, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`scale clients failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
