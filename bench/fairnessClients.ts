// The client side of bench/stream.ts's fairness figure, run as child processes (so the clients' own
// work is not the server's): either the bystander — one ticker run, every tuple stamped at emit,
// emit-to-receive latency of each — or the attacker — `replays` subscriptions replaying a finished run
// (spread over connections, at most 8 on each: the server's per-connection replay limit), and one
// connection sending frames of `frameCalls` system.info calls, one after another's answers, until killed.
import { performance } from "node:perf_hooks";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import type { AppRouter } from "../server/router";

export type FairnessClientsConfig =
  | { role: "bystander"; wsUrl: string; ticks: number; intervalMs: number }
  | { role: "attacker"; wsUrl: string; runId: string; replays: number; frameCalls: number };

export interface BystanderReport {
  latencies: number[];
  events: number;
}

function connect(wsUrl: string) {
  const wsClient = createWSClient({ url: wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  return { wsClient, trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }) };
}

async function bystander(config: Extract<FairnessClientsConfig, { role: "bystander" }>): Promise<BystanderReport> {
  const { wsClient, trpc } = connect(config.wsUrl);
  const latencies: number[] = [];
  let events = 0;
  await new Promise<void>((resolve, reject) => {
    trpc.runs.stream.subscribe(
      { graphId: "ticker", input: { count: config.ticks, every: 1, delayMs: config.intervalMs, stamp: true }, streamMode: ["custom"] },
      {
        onData: ({ data }) => {
          events++;
          const at = data[0] === "custom" ? (data[1] as { at?: number }).at : undefined;
          if (at !== undefined) latencies.push(performance.timeOrigin + performance.now() - at);
        },
        onError: reject,
        onComplete: resolve,
      },
    );
  });
  await wsClient.close();
  return { latencies, events };
}

async function attacker(config: Extract<FairnessClientsConfig, { role: "attacker" }>): Promise<void> {
  const connections = Array.from({ length: Math.ceil(config.replays / 8) }, () => connect(config.wsUrl));
  for (let i = 0; i < config.replays; i++) {
    // Each replay, when done, starts again: 100 replays stay in flight for the whole measurement.
    const replay = () =>
      connections[i % connections.length]!.trpc.runs.stream.subscribe(
        { runId: config.runId },
        { onComplete: replay, onError: () => setTimeout(replay, 10) },
      );
    replay();
  }
  if (config.frameCalls === 0) return void process.send!("started");
  const frame = JSON.stringify(Array.from({ length: config.frameCalls }, (_, i) => ({ id: i + 1, method: "query", params: { path: "system.info" } })));
  // Another frame once the last one's answers are in; when the server closes the connection (it does
  // at a second oversized frame), a new connection and the same again.
  const flood = async () => {
    const socket = new WebSocket(config.wsUrl);
    await new Promise((resolve) => socket.once("open", resolve));
    let answered = 0;
    socket.on("message", () => {
      if (++answered % config.frameCalls === 0) socket.send(frame);
    });
    socket.once("close", () => void flood());
    socket.send(frame);
  };
  await flood();
  process.send!("started");
}

process.once("message", (config: FairnessClientsConfig) => {
  if (config.role === "bystander") {
    bystander(config).then(
      (report) => process.send!(report, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`bystander failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    attacker(config).catch((error: unknown) => {
      process.stderr.write(`attacker failed: ${String(error)}\n`);
      process.exit(1);
    });
  }
});
