// Dev reload: editing a graph file, or a project file it imports, reloads that graph. Runs already going
// finish on the old code; new runs use the new code; graphs.changed tells pages to refetch the list.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { createTRPCClient, httpLink } from "@trpc/client";
import { followGraphChanges } from "../../app/client/followGraphChanges";
import type { AppRouter } from "../router";
import { collect, connect, runIdOf, startServer, tuples, type TestClient, type TestServer } from "../test/harness";
import { readProjectConfig } from "./projectConfig";

const dir = mkdtempSync(path.join(tmpdir(), "rill-reload-"));
mkdirSync(path.join(dir, "src"));
const graphFile = path.join(dir, "src", "graph.ts");
const textFile = path.join(dir, "src", "text.ts");

function writeGraph(suffix: string): void {
  writeFileSync(
    graphFile,
    `import { Annotation, MemorySaver, START, StateGraph, interrupt } from "@langchain/langgraph";
import { text } from "./text";
const State = Annotation.Root({ hold: Annotation<boolean>(), out: Annotation<string>() });
export const graph = new StateGraph(State)
  .addNode("say", (state: { hold?: boolean }) => {
    if (state.hold) interrupt("held");
    return { out: text() + ${JSON.stringify(suffix)} };
  })
  .addEdge(START, "say")
  .compile({ checkpointer: new MemorySaver() });
`,
  );
}
const writeText = (value: string) => writeFileSync(textFile, `export const text = () => ${JSON.stringify(value)};\n`);

writeText("v1");
writeGraph("");
writeFileSync(path.join(dir, "src", "other.ts"), 'import { Annotation, START, StateGraph } from "@langchain/langgraph";\nexport const graph = new StateGraph(Annotation.Root({ n: Annotation<number>() })).addNode("a", () => ({ n: 1 })).addEdge(START, "a").compile();\n');
writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify({ graphs: { said: "./src/graph.ts:graph", other: "./src/other.ts:graph" } }));

let server: TestServer;
let client: TestClient;

before(async () => {
  server = await startServer({ project: readProjectConfig(dir), watchProject: true });
  client = connect(server);
});

after(async () => {
  await client.close();
  await server.close();
});

function nextReload(): Promise<string[]> {
  return new Promise((resolve) => {
    const before = new Map(server.graphs.ids().map((id) => [id, server.graphs.get(id)]));
    const stop = server.graphs.onChange(() => {
      stop();
      resolve(server.graphs.ids().filter((id) => server.graphs.get(id) !== before.get(id)));
    });
  });
}

async function said(input: Record<string, unknown>): Promise<string> {
  const result = await collect(client, { graphId: "said", input, streamMode: ["values"] });
  assert.equal(result.error, undefined, result.error?.message);
  return (tuples(result.events).at(-1)![1] as { out: string }).out;
}

test("an imported file's edit reloads the graph importing it (only it); the run in flight finishes on the old code", async () => {
  assert.equal(await said({}), "v1");
  const held = await collect(client, { graphId: "said", input: { hold: true }, streamMode: ["values"] }, (event) =>
    event.data[0] === "status" && (event.data[1] as { status: string }).status === "interrupted" ? "stop" : undefined,
  );
  const heldRunId = runIdOf(held.events);

  const reloaded = nextReload();
  writeText("v2");
  assert.deepEqual(await reloaded, ["said"], "the graph importing text.ts, and not the other one");
  assert.equal(await said({}), "v2");

  await client.trpc.runs.resume.mutate({ runId: heldRunId, resume: "go" });
  assert.equal((await server.runs.whenEnded(heldRunId)).status, "done");
  const resumed = await collect(client, { runId: heldRunId });
  assert.equal((tuples(resumed.events).at(-1)![1] as { out: string }).out, "v1", "the held run resumes on the code it started with");
});

test("editing the graph file itself reloads it, and graphs.changed answers the page waiting with the old revision", async () => {
  const { revision, watching } = await client.trpc.graphs.changed.query();
  assert.equal(watching, true);
  const waiting = client.trpc.graphs.changed.query({ since: revision });
  const reloaded = nextReload();
  writeGraph("!");
  await reloaded;
  assert.deepEqual(await waiting, { revision: revision + 1, watching: true });
  assert.equal(await said({}), "v2!");
});

test("the playground's follower (over HTTP, as the page polls) refetches the list after an edit", async () => {
  const http = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/api/trpc` })] });
  let live = true;
  let refetched!: () => void;
  const refetch = new Promise<void>((resolve) => (refetched = resolve));
  let polling!: () => void;
  const waiting = new Promise<void>((resolve) => (polling = resolve));
  const following = followGraphChanges(
    (input) => {
      if (input) polling();
      return http.graphs.changed.query(input);
    },
    async () => {
      const graphs = await http.graphs.list.query();
      assert.ok(graphs.some((graph) => graph.id === "said"));
      live = false;
      refetched();
    },
    () => live,
  );
  // Edit once the follower knows the current revision and asks for the next (answered at once if the
  // change reaches the server before the request does).
  await waiting;
  const reloaded = nextReload();
  writeText("v3");
  await reloaded;
  await refetch;
  await following;
  assert.equal(await said({}), "v3!");
});

test("an edit that breaks the graph lists it with the error; fixing it serves it again", async () => {
  let reloaded = nextReload();
  writeFileSync(graphFile, "export const graph = ;\n");
  await reloaded;
  const broken = server.graphs.summaries().find((s) => s.id === "said")!;
  assert.match(broken.error ?? "", /its module threw at import/);
  assert.ok(server.logs.some((line) => line.msg === "graph not loaded" && line.graph === "said"));
  reloaded = nextReload();
  writeGraph("?");
  await reloaded;
  assert.equal(server.graphs.summaries().find((s) => s.id === "said")!.error, undefined);
  assert.equal(await said({}), "v3?");
});

test("without reload on (production), graphs.changed says so and answers at once", async () => {
  const plain = await startServer({ project: readProjectConfig(dir) });
  const plainClient = connect(plain);
  try {
    assert.deepEqual(await plainClient.trpc.graphs.changed.query({ since: 0 }), { revision: 0, watching: false });
    assert.equal(plain.projectWatcher, null);
  } finally {
    await plainClient.close();
    await plain.close();
  }
});
