// What the e2e suite and the UI benchmark share: the production custom server they start on a free
// port, and the Chromium every test drives.
import type { PlaywrightTestConfig } from "@playwright/test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, e2ePort, e2eProjectPort } from "./serverPort";

const root = fileURLToPath(new URL("..", import.meta.url));

export const port = e2ePort();
export const projectPort = e2eProjectPort();

export const browserUse = {
  baseURL: `http://127.0.0.1:${port}`,
  viewport: { width: 1280, height: 800 },
  colorScheme: "dark",
  launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: CHROMIUM_ARGS },
} satisfies PlaywrightTestConfig["use"];

/** The environment of a production server on `listenPort`, with `env` added. */
function serverEnv(listenPort: number, env: Record<string, string>): Record<string, string> {
  return {
    PORT: String(listenPort),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    RILL_LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // Each server its own data folder (the SQLite store's files), so runs of the suite start empty.
    RILL_DATA_DIR: mkdtempSync(path.join(tmpdir(), "rill-e2e-data-")),
    ...env,
  };
}

/** `npx tsx server/main.ts` in production mode on `port`, with `env` added to the server's environment. */
/** One web server entry of Playwright's config. */
type WebServer = Extract<NonNullable<PlaywrightTestConfig["webServer"]>, { command: string }>;

export function rillWebServer(env: Record<string, string>): WebServer {
  return {
    command: "npx tsx server/main.ts",
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: serverEnv(port, env),
  };
}

export interface StartedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Another server for specs that need other settings than the suite's (a token, say): the same command
 * as rillWebServer on a free port of its own, with `env` added; resolves once it serves pages.
 */
export async function startRillServer(env: Record<string, string>): Promise<StartedServer> {
  const { spawn, execFileSync } = await import("node:child_process");
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const ownPort = Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
  const child = spawn("npx", ["tsx", "server/main.ts"], {
    cwd: root,
    env: { ...process.env, ...serverEnv(ownPort, env) },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${ownPort}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer on ${url} within 120 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await exited;
    },
  };
}

/**
 * A small langgraph.json project in a temp folder, written once by the Playwright runner (its workers
 * re-read this config and find it through the environment): project.spec.ts edits its graph file.
 */
export function e2eProject(): { dir: string; graphFile: string } {
  if (!process.env.RILL_E2E_PROJECT_DIR) {
    const dir = mkdtempSync(path.join(tmpdir(), "rill-e2e-project-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "src", "story.ts"), storyGraph(["draft"]));
    writeFileSync(path.join(dir, "src", "broken.ts"), 'throw new Error("this graph fails at import");\n');
    writeFileSync(path.join(dir, "src", "studio.ts"), STUDIO_GRAPH);
    writeFileSync(
      path.join(dir, "langgraph.json"),
      JSON.stringify({
        graphs: {
          story: { path: "./src/story.ts:graph", description: "A story graph from a langgraph.json" },
          studio: { path: "./src/studio.ts:graph", description: "A subgraph inside a subgraph" },
          broken: "./src/broken.ts:graph",
        },
        rill: { graphs: { story: { title: "Story", exampleInput: { text: "once" } }, studio: { title: "Studio", exampleInput: { topic: "owls" } } } },
      }),
    );
    process.env.RILL_E2E_PROJECT_DIR = dir;
  }
  const dir = process.env.RILL_E2E_PROJECT_DIR;
  return { dir, graphFile: path.join(dir, "src", "story.ts") };
}

/** A graph file written for @langchain/langgraph: `nodes` in a row, each appending its name. */
export function storyGraph(nodes: string[]): string {
  return [
    'import { Annotation, START, StateGraph } from "@langchain/langgraph";',
    "const State = Annotation.Root({ text: Annotation<string>() });",
    "export const graph = new StateGraph(State)",
    ...nodes.map((node) => `  .addNode(${JSON.stringify(node)}, (state: { text: string }) => ({ text: state.text + " ${node}" }))`),
    ...[START_EDGE(nodes[0]!), ...nodes.slice(1).map((node, i) => `  .addEdge(${JSON.stringify(nodes[i])}, ${JSON.stringify(node)})`)],
    "  .compile();",
    "",
  ].join("\n");
}

/**
 * A subgraph inside a subgraph, written for @langchain/langgraph: writers_room (brainstorm -> critics) runs
 * before write, and critics is itself a graph (review -> score). nestedSubgraphs.spec.ts draws and runs it.
 */
const STUDIO_GRAPH = [
  'import { Annotation, END, START, StateGraph } from "@langchain/langgraph";',
  "const State = Annotation.Root({ topic: Annotation<string>(), idea: Annotation<string>(), verdict: Annotation<string>(), points: Annotation<number>(), joke: Annotation<string>() });",
  "type S = typeof State.State;",
  "const critics = new StateGraph(State)",
  '  .addNode("review", (s: S) => ({ verdict: `${s.idea}: fine` }))',
  '  .addNode("score", (s: S) => ({ points: s.verdict.length }))',
  '  .addEdge(START, "review").addEdge("review", "score").addEdge("score", END)',
  "  .compile();",
  "const writersRoom = new StateGraph(State)",
  '  .addNode("brainstorm", (s: S) => ({ idea: `${s.topic} in space` }))',
  '  .addNode("critics", critics)',
  '  .addEdge(START, "brainstorm").addEdge("brainstorm", "critics").addEdge("critics", END)',
  "  .compile();",
  "export const graph = new StateGraph(State)",
  '  .addNode("writers_room", writersRoom)',
  '  .addNode("write", (s: S) => ({ joke: `A joke about ${s.idea} (${s.points} points)` }))',
  '  .addEdge(START, "writers_room").addEdge("writers_room", "write").addEdge("write", END)',
  "  .compile();",
  "",
].join("\n");

const START_EDGE = (first: string) => `  .addEdge(START, ${JSON.stringify(first)})`;

/** The second server: the e2e project, production Next, graphs reloaded on edits (`--watch`, as `rill dev`). */
export function rillProjectWebServer(): WebServer {
  return {
    ...rillWebServer({ PORT: String(projectPort) }),
    command: `npx tsx server/main.ts --watch --config ${JSON.stringify(e2eProject().dir)}`,
    url: `http://127.0.0.1:${projectPort}/`,
  };
}
