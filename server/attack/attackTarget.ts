// The server the attack suite attacks, in a process of its own: an uncaught exception ends it, as it would
// end a production server that has no Next.js (whose process-wide handler would otherwise hide it).
//   node --import tsx server/attack/attackTarget.ts            # without Next, as the unit tests run it
//   node --import tsx server/attack/attackTarget.ts --next     # with the production Next build (npm run build)
// Prints `listening <url>` once it listens; SIGTERM closes it.
import { createRillServer } from "../rillServer";
import { tickerGraph } from "../test/testGraphs";

const withNext = process.argv.includes("--next");
const server = await createRillServer({
  next: withNext ? { dev: false } : false,
  // Stores in memory unless RILL_STORE says otherwise: a test run leaves no ./.rill behind.
  env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", RILL_OFFLINE_DELAY_MS: "0", RILL_STORE: process.env.RILL_STORE ?? "memory" },
  extraGraphs: [tickerGraph],
  config: { port: 0, host: "127.0.0.1", logLevel: "warn", shutdownTimeoutMs: 2000 },
});
process.stdout.write(`listening ${server.url}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
