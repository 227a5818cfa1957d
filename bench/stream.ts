// npm run bench:stream — the run server's delivery, measured against a peer on the same machine.
//
// (2) runs first, on a fresh server, so that its peak RSS is not (1)'s garbage.
//   (1) Throughput: a finished run's N tuples replayed to one WebSocket client through tRPC (the real
//       client, tracked events), versus a raw `ws` server sending the same N JSON texts, one message
//       each, to a raw `ws` client that parses them. Two subscriptions: runs.streamBatches (the events
//       at hand together, one message per batch: what the playground uses), and runs.stream (one
//       message per event). Also: the same tuples delivered live, while the engine produces them.
//       Goal: tRPC ≥ half the raw rate.
//   (2) Scale: 1,000 runs at once in this process, each with its own runs.stream subscription (over 20
//       connections from a child process, bench/streamClients.ts), started spread over 1 s, each
//       emitting a timestamped tuple every 100 ms for 10 s; emit-to-receive latency over all tuples, and
//       separately once all 1,000 are running; this server process's peak RSS. The same ramp goes first
//       as a warm-up (1,000 runs of 3 ticks, unmeasured), so that the figures are a warmed server's: a
//       cold one spends its first second compiling the start and delivery paths (measured cold: p99
//       ~145 ms over all tuples, ~60 ms once all are running).
//       Goals: p99 < 100 ms, peak RSS < 1 GiB.
//
//   (3) Fairness: a bystander run's emit-to-receive latency (a stamped tuple every 10 ms, its client in a
//       child process), alone, then while an attacker (another child process) keeps 100 replays of a
//       finished 30,000-event run in flight (over 13 connections: 8 replays a connection is the limit)
//       and sends 10,000-call frames of system.info back to back. Goal: p99 under attack within 3x of
//       alone. `npm run bench:stream -- --fairness` runs only this. 1,000 bystander tuples a phase, so
//       that p99 is not one stray pause. Beside it, the server's side of the same tuples (emit stamp to
//       the server's ws.send), the messages/s it sent and its GC pauses: on a shared 2-core machine the
//       clients' own scheduling swings the client-side figure from run to run.
//
// (1) runs server and client in this one process, the peer's too, so both pay for their client; on a
// 2-core machine shared with other work, wall-clock rates swing from run to run, so rounds are
// interleaved and the rate per CPU-second of this process is printed beside the wall-clock rate.
// Exit code 1 when a goal fails.
import { fork, spawn } from "node:child_process";
import { PerformanceObserver, constants, monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket, WebSocketServer } from "ws";
import { createRillServer, type RillServer } from "../server/rillServer";
import type { AppRouter } from "../server/router";
import { tickerGraph } from "../server/test/testGraphs";
import type { BystanderReport, FairnessClientsConfig } from "./fairnessClients";
import type { ScaleClientsConfig, ScaleClientsReport } from "./streamClients";

const THROUGHPUT_TUPLES = 100_000;
const PAYLOAD = 64;
const ROUNDS = 5;
const SCALE_RUNS = 1_000;
const SCALE_CONNECTIONS = 20;
const SCALE_TICKS = 100;
const SCALE_INTERVAL_MS = 100;
const SCALE_RAMP_MS = 1_000;
const WARMUP_RUNS = 1_000;
const WARMUP_TICKS = 3;
const FAIRNESS_RUN_EVENTS = 30_000;
const FAIRNESS_REPLAYS = 100;
const FAIRNESS_FRAME_CALLS = 10_000;
const FAIRNESS_TICKS = 1_000;
const FAIRNESS_INTERVAL_MS = 10;

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

function subscribeBatchesUntilDone(trpc: Client, input: Parameters<Client["runs"]["streamBatches"]["subscribe"]>[0]) {
  return new Promise<{ count: number }>((resolve, reject) => {
    let count = 0;
    trpc.runs.streamBatches.subscribe(input, {
      onData: ({ data }) => {
        // Looks at every tuple, as the other clients do.
        for (const event of data.events) if (event[0]) count++;
      },
      onError: reject,
      onComplete: () => resolve({ count }),
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
  const liveBatchRates: Rate[] = [];
  let runId = "";
  for (let round = 0; round < ROUNDS; round++) {
    liveRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        runId = (await subscribeUntilDone(trpc, { graphId: "ticker", input, streamMode: ["custom"] })).runId;
      }),
    );
    liveBatchRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        const { count } = await subscribeBatchesUntilDone(trpc, { graphId: "ticker", input, streamMode: ["custom"] });
        if (count !== THROUGHPUT_TUPLES + 2) throw new Error(`live batches delivered ${count} events`);
      }),
    );
  }
  // Replay (the finished run's tuples, from the log) and raw ws, rounds interleaved so that both see the
  // same machine load.
  const texts = server.runs.store.read(runId, 0, THROUGHPUT_TUPLES + 10).map((e) => e.json).filter((json) => json.startsWith('["custom"'));
  const replayRates: Rate[] = [];
  const batchRates: Rate[] = [];
  const rawRates: Rate[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rawRates.push(await rawWsRate(texts));
    batchRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        const { count } = await subscribeBatchesUntilDone(trpc, { runId });
        if (count !== THROUGHPUT_TUPLES + 2) throw new Error(`batched replay delivered ${count} events`);
      }),
    );
    replayRates.push(
      await rate(THROUGHPUT_TUPLES, async () => {
        const { count } = await subscribeUntilDone(trpc, { runId });
        if (count !== THROUGHPUT_TUPLES + 2) throw new Error(`replay delivered ${count} events`);
      }),
    );
  }
  await wsClient.close();
  const medians = (rates: Rate[]): Rate => ({ wall: median(rates.map((r) => r.wall)), cpu: median(rates.map((r) => r.cpu)) });
  return {
    live: medians(liveRates),
    liveBatches: medians(liveBatchRates),
    replay: medians(replayRates),
    batches: medians(batchRates),
    raw: medians(rawRates),
    bytes: texts[0]!.length,
  };
}

/** Runs bench/streamClients.ts in a child process with `config`, and returns its report. */
function runClients(config: ScaleClientsConfig): Promise<ScaleClientsReport> {
  const child = fork(fileURLToPath(new URL("./streamClients.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise<ScaleClientsReport>((resolve, reject) => {
    child.once("message", (message) => resolve(message as ScaleClientsReport));
    child.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`scale clients exited with ${code}`))));
    child.send(config);
  });
}

interface LatencySummary {
  tuples: number;
  p50: number;
  p99: number;
  max: number;
}

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { tuples: sorted.length, p50: pct(0.5), p99: pct(0.99), max: sorted.at(-1)! };
}

async function scale(server: RillServer) {
  const base = { wsUrl: server.wsUrl, connections: SCALE_CONNECTIONS, intervalMs: SCALE_INTERVAL_MS };
  const warmup = await runClients({ ...base, runs: WARMUP_RUNS, ticks: WARMUP_TICKS, rampMs: SCALE_RAMP_MS });
  if (warmup.incompleteRuns > 0) throw new Error(`${warmup.incompleteRuns} warm-up runs lost events`);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = process.cpuUsage();
  const report = await runClients({ ...base, runs: SCALE_RUNS, ticks: SCALE_TICKS, rampMs: SCALE_RAMP_MS });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (report.incompleteRuns > 0) throw new Error(`${report.incompleteRuns} scale runs lost events`);
  // Once every run has started (and ticked once since), all 1,000 are running: the steady state.
  const steadyFrom = report.lastStartAt + SCALE_INTERVAL_MS;
  return {
    all: summarize(report.latencies),
    steady: summarize(report.latencies.filter((_, i) => report.emittedAt[i]! >= steadyFrom)),
    seconds: report.seconds,
    serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRss,
  };
}

function fairnessChild(config: FairnessClientsConfig) {
  const child = fork(fileURLToPath(new URL("./fairnessClients.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const message = new Promise<unknown>((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => (code === 0 || code === null ? undefined : reject(new Error(`fairness client exited with ${code}`))));
  });
  child.send(config);
  return { child, message };
}

/**
 * The server's side of the bystander's latency: from the tuple's emit stamp to the server's ws.send of it
 * (the bytes go to the kernel at the end of that loop turn), apart from the clients' own scheduling on a
 * shared machine; and the GC pauses in the server meanwhile. Only the bystander's tuples carry `"at":`.
 */
function watchServerSide() {
  const latencies: number[] = [];
  const gcPauses: number[] = [];
  const scavenges: number[] = [];
  const send = WebSocket.prototype.send;
  let messages = 0;
  const startedAt = performance.now();
  WebSocket.prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]) {
    messages++;
    if (typeof data === "string") {
      const at = data.indexOf('"at":');
      if (at >= 0) latencies.push(performance.timeOrigin + performance.now() - parseFloat(data.slice(at + 5, at + 30)));
    }
    return (send as (...args: unknown[]) => void).call(this, data, ...rest);
  } as typeof send;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push(entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(entry.duration);
    }
  });
  gc.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      WebSocket.prototype.send = send;
      gc.disconnect();
      return {
        latencies: summarize(latencies),
        messagesPerSecond: messages / ((performance.now() - startedAt) / 1000),
        gcCount: gcPauses.length,
        gcMax: Math.max(0, ...gcPauses),
        gcTotal: gcPauses.reduce((a, b) => a + b, 0),
        scavenges: scavenges.length,
        scavengeMax: Math.max(0, ...scavenges),
      };
    },
  };
}

async function fairness(server: RillServer) {
  const { trpc, wsClient } = connect(server);
  const { runId } = await subscribeUntilDone(trpc, {
    graphId: "ticker",
    input: { count: FAIRNESS_RUN_EVENTS, every: 1000, delayMs: 0, payload: PAYLOAD },
    streamMode: ["custom"],
  });
  await wsClient.close();
  const bystander = async () => {
    const { message } = fairnessChild({ role: "bystander", wsUrl: server.wsUrl, ticks: FAIRNESS_TICKS, intervalMs: FAIRNESS_INTERVAL_MS });
    const report = (await message) as BystanderReport;
    if (report.events !== FAIRNESS_TICKS + 2) throw new Error(`the bystander got ${report.events} events of ${FAIRNESS_TICKS + 2}`);
    return summarize(report.latencies);
  };
  let loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let watch = watchServerSide();
  const alone = await bystander();
  const serverAlone = watch.stop();
  loop.disable();
  const loopAlone = loop;
  // RILL_BENCH_ATTACK=replays|frames runs one half of the attack alone (to see which costs what).
  const only = process.env.RILL_BENCH_ATTACK;
  const attack = fairnessChild({
    role: "attacker",
    wsUrl: server.wsUrl,
    runId,
    replays: only === "frames" ? 0 : FAIRNESS_REPLAYS,
    frameCalls: only === "replays" ? 0 : FAIRNESS_FRAME_CALLS,
  });
  await attack.message;
  const cpuBefore = process.cpuUsage();
  loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  watch = watchServerSide();
  const underAttack = await bystander();
  const serverAttack = watch.stop();
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  attack.child.kill();
  // The server's event-loop delay (perf_hooks, 1 ms resolution): how long work held the loop, apart
  // from the clients' own scheduling on a shared machine.
  const delay = (h: ReturnType<typeof monitorEventLoopDelay>) => ({ p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
  return {
    alone,
    underAttack,
    serverAlone,
    serverAttack,
    serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
    loopAlone: delay(loopAlone),
    loopAttack: delay(loop),
  };
}

function printFairness(f: Awaited<ReturnType<typeof fairness>>): boolean {
  const ratio = f.underAttack.p99 / f.alone.p99;
  const pass = ratio <= 3;
  const line = (l: LatencySummary) => `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (${fmt(l.tuples)} tuples)`;
  console.log(
    `(3) fairness: a bystander run (a tuple every ${FAIRNESS_INTERVAL_MS} ms) alone, then beside ${FAIRNESS_REPLAYS} replays of a ` +
      `${fmt(FAIRNESS_RUN_EVENTS)}-event run and ${fmt(FAIRNESS_FRAME_CALLS)}-call frames back to back (clients in child processes)`,
  );
  const loop = (d: { p99: number; max: number }) => `server event-loop delay p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`;
  const side = (w: Awaited<ReturnType<typeof fairness>>["serverAlone"]) =>
    `emit to ws.send p50 ${w.latencies.p50.toFixed(1)} ms, p99 ${w.latencies.p99.toFixed(1)} ms; ${fmt(w.messagesPerSecond)} messages/s sent; ${w.gcCount} GC pauses, max ${w.gcMax.toFixed(1)} ms, ` +
    `total ${w.gcTotal.toFixed(0)} ms (${w.scavenges} scavenges, max ${w.scavengeMax.toFixed(1)} ms)`;
  console.log(`    alone:        ${line(f.alone)}; ${loop(f.loopAlone)}`);
  console.log(`                  server side: ${side(f.serverAlone)}`);
  console.log(`    under attack: ${line(f.underAttack)}; ${loop(f.loopAttack)}; server CPU ${f.serverCpuSeconds.toFixed(1)} s`);
  console.log(`                  server side: ${side(f.serverAttack)}`);
  const serverRatio = f.serverAttack.latencies.p99 / f.serverAlone.latencies.p99;
  console.log(`    p99 under attack / alone: ${ratio.toFixed(2)} (goal <= 3) ${pass ? "PASS" : "FAIL"}; server side: ${serverRatio.toFixed(2)}\n`);
  return pass;
}

async function main() {
  if (process.argv.includes("--fairness")) {
    const server = await createRillServer({
      next: false,
      env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
      extraGraphs: [tickerGraph],
      config: { port: 0, host: "127.0.0.1", logLevel: "error" },
    });
    console.log(`bench:stream --fairness — Node ${process.version}, ${SEMI_SPACE_FLAG} as under npm start\n`);
    const pass = printFairness(await fairness(server));
    await server.close();
    process.exit(pass ? 0 : 1);
  }
  const server = await createRillServer({
    next: false,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    extraGraphs: [tickerGraph],
    config: {
      port: 0,
      host: "127.0.0.1",
      logLevel: "error",
      maxRuns: SCALE_RUNS + 10,
      maxRunsPerClient: SCALE_RUNS,
      // 1,000 runs from 20 connections: every slot, none kept for newcomers.
      reservedRuns: 0,
      storeMaxRuns: SCALE_RUNS + 100,
      storeMaxEventsPerRun: THROUGHPUT_TUPLES + 100,
    },
  });
  const rssIdle = process.memoryUsage().rss;
  console.log(`bench:stream — Node ${process.version}, ${SEMI_SPACE_FLAG} as under npm start\n`);

  const s = await scale(server);
  const latencyPass = s.all.p99 < 100;
  const memoryPass = s.peakRss < 1024 * 1024 * 1024;
  const latencyLine = (l: LatencySummary) =>
    `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (${fmt(l.tuples)} tuples)`;
  console.log(
    `(2) ${fmt(SCALE_RUNS)} concurrent runs, one subscription each over ${SCALE_CONNECTIONS} connections (clients in a child process), ` +
      `started over ${fmt(SCALE_RAMP_MS)} ms, a tuple every ${SCALE_INTERVAL_MS} ms; after a warm-up of ${fmt(WARMUP_RUNS)} runs of ${WARMUP_TICKS} ticks`,
  );
  console.log(`    ${fmt(s.all.tuples)} tuples in ${s.seconds.toFixed(1)} s (${fmt(s.all.tuples / s.seconds)}/s), server CPU ${s.serverCpuSeconds.toFixed(1)} s`);
  console.log(`    emit-to-receive latency, all tuples:        ${latencyLine(s.all)} (goal p99 < 100 ms) ${latencyPass ? "PASS" : "FAIL"}`);
  console.log(`    emit-to-receive latency, all 1,000 running: ${latencyLine(s.steady)}`);
  console.log(
    `    server peak RSS ${fmt(s.peakRss / 1048576)} MiB (idle ${fmt(rssIdle / 1048576)} MiB) (goal < 1024 MiB) ${memoryPass ? "PASS" : "FAIL"}`,
  );

  const t = await throughput(server);
  const ratio = t.batches.wall / t.raw.wall;
  const cpuRatio = t.batches.cpu / t.raw.cpu;
  const throughputPass = ratio >= 0.5;
  const line = (name: string, r: Rate, vs?: Rate) =>
    `    ${name.padEnd(40)} ${fmt(r.wall).padStart(8)} /s   ${fmt(r.cpu).padStart(8)} /CPU-s` +
    (vs ? `   ratio ${(r.wall / vs.wall).toFixed(2)} (per CPU-s ${(r.cpu / vs.cpu).toFixed(2)})` : "");
  console.log(`(1) throughput, ${fmt(THROUGHPUT_TUPLES)} tuples of ${t.bytes} bytes, medians of ${ROUNDS} interleaved rounds`);
  console.log(line("raw ws (same JSON, one message each)", t.raw));
  console.log(line("tRPC runs.streamBatches, replay", t.batches, t.raw));
  console.log(line("tRPC runs.streamBatches, live", t.liveBatches, t.raw));
  console.log(line("tRPC runs.stream (a message each), replay", t.replay, t.raw));
  console.log(line("tRPC runs.stream (a message each), live", t.live, t.raw));
  console.log(
    `    goal: tRPC >= 0.50 of raw (runs.streamBatches, replay): ${ratio.toFixed(2)} (per CPU-s ${cpuRatio.toFixed(2)}) ${throughputPass ? "PASS" : "FAIL"}`,
  );
  console.log(`    runs.stream, one tRPC message per tuple, reaches ${(t.replay.wall / t.raw.wall).toFixed(2)} of raw\n`);

  await server.close();

  // (3) on a server with the default limits (the one above allows 1,000 runs a connection).
  const fairServer = await createRillServer({
    next: false,
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    extraGraphs: [tickerGraph],
    config: { port: 0, host: "127.0.0.1", logLevel: "error" },
  });
  const fairnessPass = printFairness(await fairness(fairServer));
  await fairServer.close();
  process.exit(throughputPass && latencyPass && memoryPass && fairnessPass ? 0 : 1);
}

// Measure the server as `npm start` runs it (scripts/start.ts): with a 64 MiB young generation.
const SEMI_SPACE_FLAG = "--max-semi-space-size=64";
if (process.execArgv.includes(SEMI_SPACE_FLAG)) {
  await main();
} else {
  const child = spawn(process.execPath, [SEMI_SPACE_FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  child.on("exit", (code) => process.exit(code ?? 1));
}
