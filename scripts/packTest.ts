// `npm run test:pack` (the last step of `npm test`): the packaged CLI as a user gets it. Packs this package
// (`npm pack`, with the prebuilt playground), installs the tarball into an empty temp folder beside a user's
// graph file (`npm install <tarball>`: dependencies come from the registry or npm's cache), runs
// `npx rill start --config ./langgraph.json` there, and checks that the playground page is served and a run
// of the user's graph streams through the typed client. Exits non-zero on any failure.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";
import type { AppRouter } from "../server/router";

const root = fileURLToPath(new URL("..", import.meta.url));
const START_LIMIT_MS = 120_000;

function step(text: string): void {
  console.log(`[test:pack] ${text}`);
}

function fail(text: string): never {
  throw new Error(text);
}

const { ensureNextBuild } = (await import(new URL("./nextBuild.mjs", import.meta.url).href)) as { ensureNextBuild(): void };
ensureNextBuild();

const work = mkdtempSync(path.join(tmpdir(), "rill-pack-"));
let server: ChildProcess | undefined;
try {
  step("npm pack");
  const packed = execFileSync("npm", ["pack", "--pack-destination", work, "--silent"], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!;
  const tarball = path.join(work, packed);

  const project = path.join(work, "my-graphs");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-graphs", private: true, type: "module" }, null, 2));
  writeFileSync(
    path.join(project, "langgraph.json"),
    JSON.stringify({ graphs: { hello: "./hello.ts:graph" }, env: { GREETING: "Hello" }, rill: { graphs: { hello: { exampleInput: { name: "world" } } } } }, null, 2),
  );
  writeFileSync(
    path.join(project, "hello.ts"),
    `import { Annotation, START, StateGraph } from "@langchain/langgraph";
const State = Annotation.Root({ name: Annotation<string>(), greeting: Annotation<string>() });
export const graph = new StateGraph(State)
  .addNode("greet", (state: typeof State.State) => ({ greeting: \`\${process.env.GREETING}, \${state.name}!\` }))
  .addEdge(START, "greet")
  .compile();
`,
  );

  step(`npm install ${packed} into an empty folder`);
  execFileSync("npm", ["install", tarball, "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "inherit" });

  const help = execFileSync("npx", ["--no", "--", "rill", "--help"], { cwd: project, encoding: "utf8" });
  if (!help.includes("usage: rill start|dev")) fail(`rill --help: ${help}`);

  step("npx rill start --config ./langgraph.json");
  server = spawn("npx", ["--no", "--", "rill", "start", "--config", "./langgraph.json"], {
    cwd: project,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "production", RILL_CONFIG: "", OPENAI_API_KEY: "", INIT_CWD: project },
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Rill is running" line within ${START_LIMIT_MS} ms; output:\n${output}`)), START_LIMIT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Rill is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    server!.stdout!.on("data", read);
    server!.stderr!.on("data", read);
    server!.on("exit", (code) => reject(new Error(`rill exited with ${code}; output:\n${output}`)));
  });
  if (!/Project: .*my-graphs\/langgraph\.json \(1 graphs served\)/.test(output)) fail(`the start message does not name the project:\n${output}`);

  step(`GET ${url}/`);
  const page = await fetch(`${url}/`);
  const html = await page.text();
  if (page.status !== 200 || !html.includes("<html")) fail(`the playground page: HTTP ${page.status}\n${html.slice(0, 500)}`);

  step("stream a run of the user's graph through the typed client");
  const wsClient = createWSClient({ url: `${url.replace(/^http/, "ws")}/api/trpc`, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  const graphs = await client.graphs.list.query();
  if (graphs.length !== 1 || graphs[0]!.id !== "hello" || graphs[0]!.engine !== "rill") fail(`graphs.list: ${JSON.stringify(graphs)}`);
  const events: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    client.runs.stream.subscribe(
      { graphId: "hello", input: { name: "world" }, streamMode: ["updates"] },
      { onData: ({ data }) => events.push(data), onError: reject, onComplete: resolve },
    );
  });
  await wsClient.close();
  const updates = events.filter((event) => (event as [string])[0] === "updates");
  if (JSON.stringify(updates) !== JSON.stringify([["updates", { greet: { greeting: "Hello, world!" } }]])) fail(`the run's events: ${JSON.stringify(events)}`);
  step("ok: the packed CLI served the user's graph and the playground");
} catch (error) {
  console.error(`[test:pack] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  if (server?.pid !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}
