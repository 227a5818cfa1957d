// Subscribe to a run from your own code with the typed tRPC client. Start a server first (`npm start`),
// then: `npx tsx examples/client.ts [ws://localhost:3000/api/trpc]`.
import { randomUUID } from "node:crypto";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import { formatEventId } from "../lib/run/eventId";
import type { AppRouter } from "../server/router";

function connect(url: string) {
  // Node 20 has no global WebSocket; ws's class implements the same interface.
  const wsClient = createWSClient({ url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  return { wsClient, client: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }) };
}

export function streamJoke(url: string, print: (line: string) => void): Promise<void> {
  const { wsClient, client } = connect(url);
  return new Promise((resolve, reject) => {
    client.runs.stream.subscribe(
      // Name the run yourself: if the socket drops before the first event, wsLink sends this start again
      // and the server joins the run with this id instead of starting a second one.
      { graphId: "joke", input: { topic: "ice cream" }, streamMode: ["updates", "custom"], runId: `run_${randomUUID().replaceAll("-", "")}` },
      {
        // `data` is typed from the engine through AppRouter: ["metadata", …] | ["updates", …] | ["custom", …] | …
        onData: ({ id, data: [mode, chunk] }) => print(`${id} ${mode} ${JSON.stringify(chunk)}`),
        onError: (error) => { wsClient.close(); reject(error); },
        onComplete: () => { wsClient.close(); resolve(); },
      },
    );
  });
}

/** Replays a run with runs.streamBatches: several events to a message, each under its own id. */
export function replayInBatches(url: string, runId: string, print: (line: string) => void): Promise<void> {
  const { wsClient, client } = connect(url);
  return new Promise((resolve, reject) => {
    client.runs.streamBatches.subscribe(
      { runId },
      {
        onData: ({ data: { firstSeq, events } }) =>
          events.forEach(([mode, chunk], i) => print(`${formatEventId(runId, firstSeq + i)} ${mode} ${JSON.stringify(chunk)}`)),
        onError: (error) => { wsClient.close(); reject(error); },
        onComplete: () => { wsClient.close(); resolve(); },
      },
    );
  });
}

/** Streams one run to its end; resolves with the thread it ran on (from its metadata event). */
function runToEnd(
  client: ReturnType<typeof connect>["client"],
  input: Parameters<ReturnType<typeof connect>["client"]["runs"]["stream"]["subscribe"]>[0],
): Promise<string> {
  return new Promise((resolve, reject) => {
    let threadId = "";
    client.runs.stream.subscribe(input, {
      onData: ({ data }) => {
        if (data[0] === "metadata") threadId = data[1].thread_id ?? "";
      },
      onError: reject,
      onComplete: () => resolve(threadId),
    });
  });
}

/**
 * A conversation on one thread: the first turn starts a thread (its id comes in the metadata), each next
 * turn passes `threadId` and continues it; threads.get returns the whole conversation, threads.history
 * its checkpoints. Prints `role: text` per message.
 */
export async function chat(url: string, turns: string[], print: (line: string) => void): Promise<string> {
  const { wsClient, client } = connect(url);
  try {
    let threadId: string | undefined;
    for (const text of turns) {
      threadId = await runToEnd(client, {
        graphId: "chat",
        input: { messages: [{ role: "user", content: text }] },
        streamMode: ["updates"],
        ...(threadId ? { threadId } : {}),
      });
    }
    const state = await client.threads.get.query({ threadId: threadId! });
    for (const message of (state.values as { messages: Array<{ type: string; content: string }> }).messages) print(`${message.type}: ${message.content}`);
    const history = await client.threads.history.query({ threadId: threadId!, limit: 100 });
    print(`thread ${threadId}: ${history.length} checkpoints`);
    return threadId!;
  } finally {
    wsClient.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? "ws://localhost:3000/api/trpc";
  await streamJoke(url, console.log);
  await chat(url, ["Hello!", "Tell me a joke about cats"], console.log);
}
