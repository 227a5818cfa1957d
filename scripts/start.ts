// `npm start`: builds the playground when the production build is missing or older than its sources
// (scripts/nextBuild.mjs), then runs the custom server (server/main.ts) in production, which prints the
// URL and the model in use. Signals are passed on, so Ctrl-C / SIGTERM shut the server down gracefully.
// Arguments are passed on too: `npm start -- --config path/to/langgraph.json` serves that project (a relative
// path is taken from where npm was run: INIT_CWD, see server/project/configArgument.ts).
//
// The server runs in a child process so it gets its own V8 flags: a larger young generation
// (--max-semi-space-size=64, MiB) lets the short-lived objects of thousands of in-flight events die young
// instead of being promoted and swept later (measured with bench:stream's 1,000 runs: about 20% less
// server CPU, shorter GC pauses).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

interface NextBuild {
  ensureNextBuild(options?: { force?: boolean }): void;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const nextBuildModule: string = new URL("./nextBuild.mjs", import.meta.url).href;
const { ensureNextBuild } = (await import(nextBuildModule)) as NextBuild;
ensureNextBuild();

// Its own process group, so a terminal's Ctrl-C reaches it once (forwarded from here), not twice —
// a second signal means "exit now" to the server.
const server = spawn(process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "server/main.ts", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  detached: true,
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
