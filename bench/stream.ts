// npm run bench:stream — the run server's delivery, measured against a peer on the same machine.
//
// (2) runs first, on a fresh server, so that its peak RSS is not (1)'s garbage.
//   (1) Throughput: a finished run's N tuples replayed to one WebSocket client through tRPC
//       (runs.stream, tracked events, the real client), versus a raw `ws` server sending the same N JSON
//       texts, one message each, to a raw `ws` client that parses them. Also: the same tuples delivered
//       live, while the engine produces them. Goal: tRPC ≥ half the raw rate.
//   (2) Scale: 1,000 runs at once in this process, each with its own subscription (spread over 20
//       connections from a child process, bench/streamClients.ts, started spread over 100 ms), each
//       emitting a timestamped tuple every 100 ms; emit-to-receive latency over all tuples, and this server process's peak RSS.
//       Goals: p99 < 100 ms, peak RSS < 1 GiB.
//
// (1) runs server and client in this one process, the peer's too, so both pay for their client; on a
// 2-core machine shared with other work, wall-clock rates swing from run to run, so rounds are
// interleaved and the rate per CPU-second of this process is printed beside the wall-clock rate.
// Exit code 1 when a goal fails.
import { fork, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket, WebSocketServer } from "ws";
import { createRillServer, type RillServer } from "../server/rillServer";
import type { AppRouter } from "../server/router";
import { tickerGraph } from "../server/test/testGraphs";
import type { ScaleClientsConfig, ScaleClientsReport } from "./streamClients";

const THROUGHPUT_TUPLES = 100_000;
const PAYLOAD = 64;
const ROUNDS = 5;
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

interface Rate {
  wall: number;
  cpu: number;
}

/** Times `work`, which delivers `count` tuples: tuples per wall-clock second and per CPU-second of this process. */
async function rate(count: number, work: () => Promise<unknown>): Promise<Rate> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await work();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: count / ((performance.now() - started) / 1000), cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

async function rawWsRate(texts: string[]): Promise<Rate> {
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
  const measured = await rate(texts.length, () => new Promise<void>((resolve) => {
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
  }));
  client.close();
  await new Promise((resolve) => wss.close(resolve));
  return measured;
}

async function throughput(server: RillServer) {
  const { trpc, wsClient } = connect(server);
  const input = { count: THROUGHPUT_TUPLES, every: 1000, delayMs: 0, payload: PAYLOAD };
  // Live: subscribe while the engine produces the tuples.
  const liveRates: Rate[] = [];
  let runId = "";
  for (let round = 0; round < ROUNDS; round++) {
    liveRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        runId = (await subscribeUntilDone(trpc, { graphId: "ticker", input, streamMode: ["custom"] })).runId;
      }),
    );
  }
  // Replay (the finished run's tuples, from the log) and raw ws, rounds interleaved so that both see the
  // same machine load.
  const texts = server.runs.store.read(runId, 0, THROUGHPUT_TUPLES + 10).map((e) => e.json).filter((json) => json.startsWith('["custom"'));
  const replayRates: Rate[] = [];
  const rawRates: Rate[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rawRates.push(await rawWsRate(texts));
    replayRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        const { count } = await subscribeUntilDone(trpc, { runId });
        if (count !== THROUGHPUT_TUPLES + 2) throw new Error(`replay delivered ${count} events`);
      }),
    );
  }
  await wsClient.close();
  const medians = (rates: Rate[]): Rate => ({ wall: median(rates.map((r) => r.wall)), cpu: median(rates.map((r) => r.cpu)) });
  return { live: medians(liveRates), replay: medians(replayRates), raw: medians(rawRates), bytes: texts[0]!.length };
}

async function scale(server: RillServer) {
  const child = fork(fileURLToPath(new URL("./streamClients.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = process.cpuUsage();
  const config: ScaleClientsConfig = {
    wsUrl: server.wsUrl,
    runs: SCALE_RUNS,
    connections: SCALE_CONNECTIONS,
    ticks: SCALE_TICKS,
    intervalMs: SCALE_INTERVAL_MS,
  };
  const report = await new Promise<ScaleClientsReport>((resolve, reject) => {
    child.once("message", (message) => resolve(message as ScaleClientsReport));
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`scale clients exited with ${code}`))));
    child.send(config);
  });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (report.incompleteRuns > 0) throw new Error(`${report.incompleteRuns} scale runs lost events`);
  const latencies = report.latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return {
    tuples: latencies.length,
    seconds: report.seconds,
    serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
    p50: pct(0.5),
    p99: pct(0.99),
    max: latencies.at(-1)!,
    peakRss,
  };
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
  console.log(`bench:stream — Node ${process.version}, ${SEMI_SPACE_FLAG} as under npm start\n`);

  const s = await scale(server);
  const latencyPass = s.p99 < 100;
  const memoryPass = s.peakRss < 1024 * 1024 * 1024;
  console.log(`(2) ${fmt(SCALE_RUNS)} concurrent runs, one subscription each over ${SCALE_CONNECTIONS} connections (clients in a child process), a tuple every ${SCALE_INTERVAL_MS} ms`);
  console.log(`    ${fmt(s.tuples)} tuples in ${s.seconds.toFixed(1)} s (${fmt(s.tuples / s.seconds)}/s), server CPU ${s.serverCpuSeconds.toFixed(1)} s`);
  console.log(`    emit-to-receive latency p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (goal p99 < 100 ms) ${latencyPass ? "PASS" : "FAIL"}`);
  console.log(
    `    server peak RSS ${fmt(s.peakRss / 1048576)} MiB (idle ${fmt(rssIdle / 1048576)} MiB) (goal < 1024 MiB) ${memoryPass ? "PASS" : "FAIL"}`,
  );

  const t = await throughput(server);
  const ratio = t.replay.wall / t.raw.wall;
  const cpuRatio = t.replay.cpu / t.raw.cpu;
  const throughputPass = ratio >= 0.5;
  const line = (name: string, r: Rate, vs?: Rate) =>
    `    ${name.padEnd(40)} ${fmt(r.wall).padStart(8)} /s   ${fmt(r.cpu).padStart(8)} /CPU-s` +
    (vs ? `   ratio ${(r.wall / vs.wall).toFixed(2)} (per CPU-s ${(r.cpu / vs.cpu).toFixed(2)})` : "");
  console.log(`(1) throughput, ${fmt(THROUGHPUT_TUPLES)} tuples of ${t.bytes} bytes, medians of ${ROUNDS} interleaved rounds`);
  console.log(line("raw ws (same JSON, one message each)", t.raw));
  console.log(line("tRPC runs.stream, replay from the log", t.replay, t.raw));
  console.log(line("tRPC runs.stream, live (engine included)", t.live, t.raw));
  console.log(`    goal: tRPC >= 0.50 of raw: ${ratio.toFixed(2)} (per CPU-s ${cpuRatio.toFixed(2)}) ${throughputPass ? "PASS" : "FAIL"}\n`);

  await server.close();
  process.exit(throughputPass && latencyPass && memoryPass ? 0 : 1);
}

// Measure the server as `npm start` runs it (scripts/start.ts): with a 64 MiB young generation.
const SEMI_SPACE_FLAG = "--max-semi-space-size=64";
if (process.execArgv.includes(SEMI_SPACE_FLAG)) {
  await main();
} else {
  const child = spawn(process.execPath, [SEMI_SPACE_FLAG, ...process.execArgv, fileURLToPath(import.meta.url)], { stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 1));
}
