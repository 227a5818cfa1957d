// The typed command-line client: starts or joins a run over tRPC (wsLink over `ws`) and prints its tuples
// as the seed's Python prints them.
//
//   npm run stream -- joke --mode updates --mode custom --input '{"topic":"ice cream"}'
//   npm run stream -- joke                      # the graph's example input, the server's default modes
//   npm run stream -- --run <runId>             # join a run (replays it, then follows it live)
//   npm run stream -- --run <runId> --resume '"yes"'   # resume an interrupted run and follow it
//   npm run stream -- chat --thread <threadId> --input '{"messages":[...]}'   # the next turn of a thread
//
// Options: --url (default ws://localhost:$PORT/api/trpc; http(s) URLs work too), --token (default
// $RILL_TOKEN), --last-event-id <runId:seq> (with --run: continue after that event), --list (the graphs),
// --thread <threadId> (run on that thread; without it a run gets a new thread, printed with the metadata),
// --checkpoint <id> (with --thread: start from that past checkpoint), --strategy reject|enqueue|interrupt|rollback
// (what to do when the thread has a run running).
// Several modes print `Stream mode: <mode>`, the chunk as JSON, and two blank lines (Python's
// print(chunk); print("\n")); a single mode prints bare chunks, one per line. Metadata and status go to
// stderr, so stdout is only the tuples.
// Exit codes: 0 the run is done, 1 the run failed, 2 bad usage or a refused request, 3 the run was cancelled.
import { parseArgs } from "node:util";
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import type { AppRouter } from "../router";
import { newRunId } from "../runs/runId";

const USAGE = `usage: npm run stream -- <graphId> [--input JSON] [--mode MODE]... [--thread ID [--checkpoint ID] [--strategy S]] [--url URL] [--token TOKEN]
       npm run stream -- --run RUN_ID [--last-event-id ID] [--resume JSON] [--url URL] [--token TOKEN]
       npm run stream -- --list
modes: values, updates, custom, messages, debug, tasks, checkpoints`;

const CONNECT_TIMEOUT_MS = 10_000;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
}

function toWsUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/api/trpc";
  return url.toString();
}

const { values: flags, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        input: { type: "string" },
        mode: { type: "string", multiple: true },
        run: { type: "string" },
        "last-event-id": { type: "string" },
        resume: { type: "string" },
        thread: { type: "string" },
        checkpoint: { type: "string" },
        strategy: { type: "string" },
        url: { type: "string" },
        token: { type: "string" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
})();

if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const graphId = positionals[0];
if (positionals.length > 1) fail(`one graph id, please (got ${positionals.join(", ")})\n${USAGE}`);
if (!graphId && !flags.run && !flags.list) fail(USAGE);
if (graphId && flags.run) fail("give a graph id to start a run, or --run to join one, not both");
if (flags.resume !== undefined && !flags.run) fail("--resume needs --run <runId>");
if ((flags.thread || flags.checkpoint || flags.strategy) && !graphId) fail("--thread, --checkpoint and --strategy go with a graph id (they start a run)");
if (flags.checkpoint && !flags.thread) fail("--checkpoint needs --thread <threadId>");
const STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"] as const;
if (flags.strategy !== undefined && !(STRATEGIES as readonly string[]).includes(flags.strategy)) fail(`--strategy must be one of ${STRATEGIES.join(", ")}`);
const strategy = flags.strategy as (typeof STRATEGIES)[number] | undefined;

const url = toWsUrl(flags.url ?? `ws://localhost:${process.env.PORT ?? 3000}/api/trpc`);
const token = flags.token ?? process.env.RILL_TOKEN;
if (!flags.token && token && (token.includes(":") || token.includes(","))) {
  fail("RILL_TOKEN lists several name:token pairs (the server's setting); pass the token to use with --token");
}

const wsClient = createWSClient({
  url,
  // Node 20 has no global WebSocket; ws's class implements the same interface.
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  ...(token ? { connectionParams: { token } } : {}),
  retryDelayMs: (attempt) => Math.min(200 * 2 ** attempt, 3_000),
});
const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });

let connected = false;
const connectTimer = setTimeout(() => {
  if (!connected) fail(`could not connect to ${url} within ${CONNECT_TIMEOUT_MS / 1000} s (is the server running? npm start)`);
}, CONNECT_TIMEOUT_MS);
wsClient.connectionState.subscribe({
  next: (state) => {
    if (state.state === "pending") {
      connected = true;
      clearTimeout(connectTimer);
    }
  },
});

async function exit(code: number): Promise<never> {
  await wsClient.close().catch(() => undefined);
  process.exit(code);
}

function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  if (flags.list) {
    for (const graph of await trpc.graphs.list.query()) {
      process.stdout.write(`${graph.id}\t${graph.title}\n  ${graph.description}\n  example input: ${JSON.stringify(graph.exampleInput)}\n`);
    }
    return exit(0);
  }

  let lastEventId = flags["last-event-id"];
  if (flags.run && flags.resume !== undefined) {
    const value = parseJson("--resume", flags.resume);
    const before = await trpc.runs.get.query({ runId: flags.run });
    lastEventId ??= before.lastEventId;
    await trpc.runs.resume.mutate({ runId: flags.run, resume: value });
  }

  let input: unknown;
  if (graphId) {
    if (flags.input !== undefined) {
      input = parseJson("--input", flags.input);
    } else {
      const graph = (await trpc.graphs.list.query()).find((g) => g.id === graphId);
      if (!graph) fail(`unknown graph "${graphId}" (npm run stream -- --list)`);
      input = graph.exampleInput;
      process.stderr.write(`input: ${JSON.stringify(input)} (the graph's example; --input to change it)\n`);
    }
  }

  let modes: string[] = [];
  let runId = flags.run ?? "";
  let finalStatus: string | undefined;
  const modesFlag = flags.mode as Array<"values" | "updates" | "custom" | "messages" | "debug" | "tasks" | "checkpoints"> | undefined;
  // Starting with a run id of our own makes the start idempotent: should the socket drop before the
  // first event, wsLink sends the start again, and the server joins this run rather than start another.
  const request = graphId
    ? {
        graphId,
        input,
        runId: newRunId(),
        ...(modesFlag ? { streamMode: modesFlag } : {}),
        ...(flags.thread ? { threadId: flags.thread } : {}),
        ...(flags.checkpoint ? { checkpointId: flags.checkpoint } : {}),
        ...(strategy ? { multitaskStrategy: strategy } : {}),
      }
    : { runId: flags.run!, ...(lastEventId ? { lastEventId } : {}) };

  await new Promise<void>((resolve) => {
    trpc.runs.stream.subscribe(request, {
      onData: ({ data: event }) => {
        switch (event[0]) {
          case "metadata": {
            const meta = event[1];
            modes = meta.stream_mode;
            runId = meta.run_id;
            process.stderr.write(
              `run ${meta.run_id} of graph ${meta.graph_id}${meta.thread_id ? ` on thread ${meta.thread_id}` : ""} (modes: ${modes.join(", ")}${meta.model ? `; model: ${meta.model}` : ""})\n`,
            );
            return;
          }
          case "status": {
            const status = event[1];
            finalStatus = status.status;
            process.stderr.write(`status: ${status.status}${status.reason ? ` (${status.reason})` : ""}\n`);
            if (status.status === "interrupted") {
              for (const interrupt of status.interrupts ?? []) process.stderr.write(`  asks: ${JSON.stringify(interrupt.value)}\n`);
              process.stderr.write(`  resume it: npm run stream -- --run ${runId} --resume '<json>'  (waiting...)\n`);
            }
            return;
          }
          case "error":
            process.stderr.write(`error: ${event[1].name}: ${event[1].message}\n`);
            return;
          default:
            if (modes.length === 1) {
              process.stdout.write(`${JSON.stringify(event[1])}\n`);
            } else {
              process.stdout.write(`Stream mode: ${event[0]}\n${JSON.stringify(event[1])}\n\n\n`);
            }
        }
      },
      onError: (error) => {
        process.stderr.write(`${describeError(error)}\n`);
        void exit(2);
      },
      onComplete: () => resolve(),
    });
  });
  await exit(finalStatus === "error" ? 1 : finalStatus === "cancelled" ? 3 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeError(error)}\n`);
  void exit(2);
});
