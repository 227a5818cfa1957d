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

if (import.meta.url === `file://${process.argv[1]}`) {
  await streamJoke(process.argv[2] ?? "ws://localhost:3000/api/trpc", console.log);
}
