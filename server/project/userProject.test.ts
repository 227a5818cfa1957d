// The fixture project (examples/user-project), graph files written for @langchain/langgraph, served by the
// real server and streamed through the typed client: on Rill's engine and with "engine": "langgraph", each
// compared with the same module run on LangGraph.js itself (the differential harness's normalization).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { normalize } from "../../lib/graph/test/differential/normalize";
import type { StreamMode } from "../../lib/graph/types";
import { collect, connect, errorCode, runIdOf, startServer, tuples, type TestClient, type TestServer } from "../test/harness";
import { projectModuleURL } from "./engineMapping";
import { readProjectConfig } from "./projectConfig";
import { withoutCheckpointEvents } from "../test/referenceOutputs";

const projectDir = path.resolve(import.meta.dirname, "../../examples/user-project");
const MODES: StreamMode[] = ["values", "updates", "custom", "debug"];

let server: TestServer;
let client: TestClient;

before(async () => {
  server = await startServer({ project: readProjectConfig(path.join(projectDir, "langgraph.json")) });
  client = connect(server);
});

after(async () => {
  await client.close();
  await server.close();
});

/** The same module's graph streamed on LangGraph.js directly (no server, no mapping). */
async function onLangGraph(file: string, exportName: string, input: unknown, modes: StreamMode[]): Promise<unknown[]> {
  const module = await import(projectModuleURL(path.join(projectDir, file), "langgraph", 1_000_000));
  const chunks: unknown[] = [];
  for await (const chunk of await module[exportName].stream(input, { streamMode: modes })) chunks.push(chunk);
  return chunks;
}

async function served(graphId: string, input: unknown, modes: StreamMode[] = MODES, configurable?: Record<string, unknown>) {
  const result = await collect(client, { graphId, input, streamMode: modes, ...(configurable ? { config: { configurable } } : {}) });
  assert.equal(result.error, undefined, result.error?.message);
  return result;
}

test("graphs.list: every graph of langgraph.json with its engine, description, example input, schema and structure; the broken one with its error", () => {
  const summaries = new Map(server.graphs.summaries().map((s) => [s.id, s]));
  for (const id of ["joke", "joke-on-langgraph", "counter", "writers-room", "approval", "approval-on-langgraph", "per-run", "zod-state", "broken"]) {
    assert.ok(summaries.has(id), `${id} is listed`);
  }
  assert.equal(summaries.has("llm-joke"), false, "a project replaces the bundled examples");
  const joke = summaries.get("joke")!;
  assert.equal(joke.engine, "rill");
  assert.equal(joke.title, "Joke (user project)");
  assert.deepEqual(joke.exampleInput, { topic: "ice cream" });
  assert.deepEqual(Object.keys(joke.inputSchema.properties as object), ["topic", "joke"]);
  assert.deepEqual(joke.structure.nodes.map((n) => n.id), ["__start__", "refine_topic", "generate_joke", "__end__"]);
  const onLg = summaries.get("joke-on-langgraph")!;
  assert.equal(onLg.engine, "langgraph");
  assert.equal(onLg.description, "The same module on the project's own @langchain/langgraph");
  assert.deepEqual(onLg.structure, joke.structure, "both engines draw the same graph");
  assert.deepEqual(summaries.get("per-run")!.exampleInput, {}, "no exampleInput in the config: {}");
  const room = summaries.get("writers-room")!;
  assert.deepEqual(room.structure.subgraphs?.writers_room?.nodes.map((n) => n.id), ["__start__", "brainstorm", "pick", "__end__"]);
  assert.equal(summaries.get("approval-on-langgraph")!.engine, "langgraph");
  const zodSchema = summaries.get("zod-state")!.inputSchema as { properties: Record<string, { description?: string }>; required: string[] };
  assert.equal(zodSchema.properties.topic!.description, "What the joke is about", "a zod state's schema, on Rill's engine too");
  assert.deepEqual(zodSchema.required, ["topic"]);
  assert.deepEqual(summaries.get("zod-state-on-langgraph")!.inputSchema, zodSchema, "the same schema from LangGraph.js's compiled graph");
  assert.match(summaries.get("broken")!.error ?? "", /its module threw at import: the broken fixture graph fails at import/);
  assert.equal(summaries.get("joke")!.error, undefined);
});

test("the load failure was logged once, naming the graph, its file and the cause", () => {
  const lines = server.logs.filter((line) => line.msg === "graph not loaded");
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.graph, "broken");
  assert.equal(lines[0]!.file, path.join(projectDir, "src/broken.ts"));
  assert.match(String(lines[0]!.error), /the broken fixture graph fails at import/);
});

test("starting a run of the broken graph is refused with its error; the others run", async () => {
  const result = await collect(client, { graphId: "broken", input: {}, streamMode: ["updates"] });
  assert.equal(errorCode(result.error), "PRECONDITION_FAILED");
  assert.match(result.error!.message, /graph "broken" cannot run: its module threw at import/);
  await served("counter", { count: 0, target: 2 }, ["updates"]);
});

for (const [graphId, file, exportName, input] of [
  ["joke", "src/joke.ts", "graph", { topic: "ice cream" }],
  ["joke-on-langgraph", "src/joke.ts", "graph", { topic: "ice cream" }],
  ["counter", "src/counter.ts", "graph", { count: 0, target: 5 }],
  ["writers-room", "src/writersRoom.ts", "graph", { topic: "cats" }],
  ["zod-state", "src/zodState.ts", "default", { topic: "tea" }],
] as const) {
  test(`${graphId}: streamed through the server as LangGraph.js streams ${file} (${MODES.join(", ")})`, async () => {
    const result = await served(graphId, input);
    const expected = await onLangGraph(file, exportName, input, MODES);
    // Served, the graph runs with the server's checkpointer; the debug checkpoint events it adds are left out on both sides.
    assert.deepEqual(normalize(withoutCheckpointEvents(tuples(result.events), true)), normalize(withoutCheckpointEvents(expected as unknown[], true)));
  });
}

test("the project's .env reaches the graphs (JOKE_SIGN_OFF)", async () => {
  const result = await served("joke", { topic: "dogs" }, ["values"]);
  const last = tuples(result.events).at(-1) as [string, { joke: string }];
  assert.equal(last[1].joke, "This is a joke about dogs and cats (ba-dum-tss)");
});

test("a factory export is called per run with the run's configurable", async () => {
  const plain = await served("per-run", { name: "Ada" }, ["updates"]);
  const configured = await served("per-run", { name: "Ada" }, ["updates"], { greeting: "Bonjour" });
  assert.deepEqual(tuples(plain.events), [["updates", { greet: { greeting: "Hello, Ada!" } }]]);
  assert.deepEqual(tuples(configured.events), [["updates", { greet: { greeting: "Bonjour, Ada!" } }]]);
});

for (const graphId of ["approval", "approval-on-langgraph"]) {
  test(`${graphId}: interrupt() and a resume through the server (the checkpointer from @langchain/langgraph-checkpoint)`, async () => {
    const interrupted = await collect(client, { graphId, input: { draft: "tea" }, streamMode: ["updates"] }, (event) =>
      event.data[0] === "status" && (event.data[1] as { status: string }).status === "interrupted" ? "stop" : undefined,
    );
    const runId = runIdOf(interrupted.events);
    const status = interrupted.events.at(-1)!.data[1] as { interrupts: Array<{ value: unknown }> };
    assert.deepEqual(status.interrupts.map((i) => i.value), [{ question: "Publish this?", draft: "Draft about tea" }]);
    await client.trpc.runs.resume.mutate({ runId, resume: "yes" });
    const record = await server.runs.whenEnded(runId);
    assert.equal(record.status, "done");
    const rest = await collect(client, { runId });
    const updates = tuples(rest.events).filter(([mode]) => mode === "updates");
    assert.deepEqual(updates.at(-1), ["updates", { review: { approved: true } }]);
  });
}

test("engine langgraph: a LangChain model's tokens stream in \"messages\" mode as Rill's plain message chunks, with LangGraph's metadata", async () => {
  const result = await served("chat-on-langgraph", { question: "Hello?" }, ["messages"]);
  const messages = tuples(result.events) as Array<[string, [Record<string, unknown>, Record<string, unknown>]]>;
  assert.ok(messages.length > 1, "several chunks");
  assert.equal(messages.map(([, [message]]) => message.content).join(""), "Hi there!");
  for (const [mode, [message, metadata]] of messages) {
    assert.equal(mode, "messages");
    assert.equal(message.type, "AIMessageChunk");
    assert.equal(message.lc, undefined, "not LangChain's serialized envelope");
    assert.deepEqual(message.tool_call_chunks, []);
    assert.equal(metadata.langgraph_node, "respond");
  }
  assert.equal(new Set(messages.map(([, [message]]) => message.id)).size, 1, "one message id for every chunk");
});
