// npm run bench:stream — the run server's delivery, measured against a peer on the same machine.
//
//   (1) Throughput: a finished run's N tuples replayed to one WebSocket client through tRPC
//       (runs.stream, tracked events, the real client), versus a raw `ws` server sending the same N JSON
//       texts, one message each, to a raw `ws` client that parses them. Also: the same tuples delivered
//       live, while the engine produces them. Goal: tRPC ≥ half the raw rate.
//   (2) Scale: 1,000 runs at once, each with its own subscription (spread over 20 connections), each
//       emitting a timestamped tuple every 100 ms; emit-to-receive latency over all tuples and the
//       process's peak RSS (server and clients share this process, so that is an upper bound).
//       Goals: p99 < 100 ms, peak RSS < 1 GiB.
//
// Everything runs in this one process (server and clients compete for the same core, on a 2-core
// machine shared with the rest of the world), so absolute numbers are modest; the ratio is the point.
// Exit code 1 when a goal fails.
import { performance } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket, WebSocketServer } from "ws";
import { createRillServer, type RillServer } from "../server/rillServer";
import type { AppRouter } from "../server/router";
import { tickerGraph } from "../server/test/testGraphs";

const THROUGHPUT_TUPLES = 100_000;
const PAYLOAD = 64;
const ROUNDS = 3;
const SCALE_RUNS = 1_000;
const SCALE_CONNECTIONS = 20;
const SCALE_TICKS = 100;
const SCALE_INTERVAL_MS = 100;

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

function connect(server: RillServer) {
  const wsClient = createWSClient({ url: server.wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  return { wsClient, trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }) };
}

function subscribeUntilDone(trpc: Client, input: Parameters<Client["runs"]["stream"]["subscribe"]>[0], onData?: (data: unknown) => void) {
  return new Promise<{ count: number; runId: string }>((resolve, reject) => {
    let count = 0;
    let runId = "";
    trpc.runs.stream.subscribe(input, {
      onData: ({ data }) => {
        count++;
        if (data[0] === "metadata") runId = data[1].run_id;
        onData?.(data);
      },
      onError: reject,
      onComplete: () => resolve({ count, runId }),
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function rawWsRate(texts: string[]): Promise<number> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise((resolve) => wss.once("listening", resolve));
  wss.on("connection", (socket) => {
    socket.once("message", () => {
      let i = 0;
      const sendSome = () => {
        // Same pacing as the run server's followers: a turn to the event loop every 512 messages.
        const end = Math.min(i + 512, texts.length);
        for (; i < end; i++) socket.send(texts[i]!);
        if (i < texts.length) setImmediate(sendSome);
      };
      sendSome();
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise((resolve) => client.once("open", resolve));
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let received = 0;
    let checksum = 0;
    client.on("message", (data) => {
      const parsed = JSON.parse(String(data)) as [string, { n: number }];
      checksum += parsed[1].n;
      if (++received === texts.length) {
        if (checksum <= 0) throw new Error("raw ws: bad data");
        resolve();
      }
    });
    client.send("go");
  });
  const seconds = (performance.now() - started) / 1000;
  client.close();
  await new Promise((resolve) => wss.close(resolve));
  return texts.length / seconds;
}

async function throughput(server: RillServer) {
  const { trpc, wsClient } = connect(server);
  const input = { count: THROUGHPUT_TUPLES, every: 1000, delayMs: 0, payload: PAYLOAD };
  // Live: subscribe while the engine produces the tuples.
  const liveRates: number[] = [];
  let runId = "";
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const result = await subscribeUntilDone(trpc, { graphId: "ticker", input, streamMode: ["custom"] });
    liveRates.push(THROUGHPUT_TUPLES / ((performance.now() - started) / 1000));
    runId = result.runId;
  }
  // Replay: the finished run's tuples, from the log.
  const replayRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const { count } = await subscribeUntilDone(trpc, { runId });
    if (count !== THROUGHPUT_TUPLES + 2) throw new Error(`replay delivered ${count} events`);
    replayRates.push(THROUGHPUT_TUPLES / ((performance.now() - started) / 1000));
  }
  await wsClient.close();
  const texts = server.runs.store.read(runId, 0, THROUGHPUT_TUPLES + 10).map((e) => e.json).filter((json) => json.startsWith('["custom"'));
  const rawRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) rawRates.push(await rawWsRate(texts));
  return { live: median(liveRates), replay: median(replayRates), raw: median(rawRates), bytes: texts[0]!.length };
}

async function scale(server: RillServer) {
  const clients = Array.from({ length: SCALE_CONNECTIONS }, () => connect(server));
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const runs = Array.from({ length: SCALE_RUNS }, (_, i) =>
    subscribeUntilDone(
      clients[i % SCALE_CONNECTIONS]!.trpc,
      { graphId: "ticker", input: { count: SCALE_TICKS, every: 1, delayMs: SCALE_INTERVAL_MS, stamp: true }, streamMode: ["custom"] },
      (data) => {
        const event = data as [string, { at?: number }];
        if (event[0] === "custom" && event[1].at !== undefined) latencies.push(performance.timeOrigin + performance.now() - event[1].at);
      },
    ),
  );
  const results = await Promise.all(runs);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await Promise.all(clients.map((c) => c.wsClient.close()));
  if (results.some((r) => r.count !== SCALE_TICKS + 2)) throw new Error("a scale run lost events");
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return { tuples: latencies.length, seconds, p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1)!, peakRss };
}

async function main() {
  const server = await createRillServer({
    next: false,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    extraGraphs: [tickerGraph],
    config: {
      port: 0,
      host: "127.0.0.1",
      logLevel: "error",
      maxRuns: SCALE_RUNS + 10,
      maxRunsPerConnection: SCALE_RUNS,
      storeMaxRuns: SCALE_RUNS + 100,
      storeMaxEventsPerRun: THROUGHPUT_TUPLES + 100,
    },
  });
  const rssIdle = process.memoryUsage().rss;
  console.log(`bench:stream — Node ${process.version}, one process (server and clients)\n`);

  const t = await throughput(server);
  const ratio = t.replay / t.raw;
  const throughputPass = ratio >= 0.5;
  console.log(`(1) throughput, ${fmt(THROUGHPUT_TUPLES)} tuples of ${t.bytes} bytes, median of ${ROUNDS}`);
  console.log(`    raw ws (same JSON, one message each)   ${fmt(t.raw)} tuples/s`);
  console.log(`    tRPC runs.stream, replay from the log  ${fmt(t.replay)} tuples/s   ratio ${ratio.toFixed(2)} (goal >= 0.50) ${throughputPass ? "PASS" : "FAIL"}`);
  console.log(`    tRPC runs.stream, live from the engine ${fmt(t.live)} tuples/s   ratio ${(t.live / t.raw).toFixed(2)} (engine included)\n`);

  const s = await scale(server);
  const latencyPass = s.p99 < 100;
  const memoryPass = s.peakRss < 1024 * 1024 * 1024;
  console.log(`(2) ${fmt(SCALE_RUNS)} concurrent runs, one subscription each over ${SCALE_CONNECTIONS} connections, a tuple every ${SCALE_INTERVAL_MS} ms`);
  console.log(`    ${fmt(s.tuples)} tuples in ${s.seconds.toFixed(1)} s (${fmt(s.tuples / s.seconds)}/s)`);
  console.log(`    emit-to-receive latency p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (goal p99 < 100 ms) ${latencyPass ? "PASS" : "FAIL"}`);
  console.log(
    `    peak RSS ${fmt(s.peakRss / 1048576)} MiB (idle ${fmt(rssIdle / 1048576)} MiB) (goal < 1024 MiB) ${memoryPass ? "PASS" : "FAIL"}`,
  );
  await server.close();
  process.exit(throughputPass && latencyPass && memoryPass ? 0 : 1);
}

await main();
