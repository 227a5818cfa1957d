// ChatOpenAI through the real openai client, over HTTP, against the offline model: invoke, stream, the
// task-context contract the engine relies on ("messages" tokens and their metadata, nostream, same id for
// chunks and result), tools, aborts, input forms and option validation.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AIMessageChunk, StreamedMessage } from "../../graph/messages";
import { runWithTaskContext, TASK_CONTEXT, type TaskContext } from "../../graph/taskContext";
import type { MessageMetadata } from "../../graph/types";
import { ChatOpenAI } from "../chatOpenAI";
import { startOfflineModelServer, type OfflineModelServer, type StreamOutcome } from "../offline";
import { tokenize } from "../offline/tokenize";

const JOKE = 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱';
const PROMPT = [{ role: "user", content: "Generate a joke about ice cream and cats" }];

let server: OfflineModelServer;
before(async () => {
  server = await startOfflineModelServer({ delayMs: 0 });
});
after(() => server.close());

const model = (fields: ConstructorParameters<typeof ChatOpenAI>[0] = {}) =>
  new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0.7, baseURL: server.url, ...fields });

const TASK_METADATA: MessageMetadata = {
  langgraph_step: 2,
  langgraph_node: "generate_joke",
  langgraph_triggers: ["branch:to:generate_joke"],
  langgraph_path: ["__pregel_pull", "generate_joke"],
  langgraph_checkpoint_ns: "generate_joke:1f0e",
  checkpoint_ns: "generate_joke:1f0e",
};

/** A task context as the engine makes one, recording what the model reports. */
function recordingContext(streamsMessages = true, signal?: AbortSignal) {
  const emitted: Array<[StreamedMessage, MessageMetadata]> = [];
  const context: TaskContext = {
    metadata: TASK_METADATA,
    signal,
    streamsMessages,
    emitMessage: (message, metadata) => emitted.push([message, metadata]),
  };
  return { context, emitted };
}

describe("ChatOpenAI outside a run", () => {
  test("invoke returns the whole reply with id, tool_calls and usage", async () => {
    const reply = await model().invoke(PROMPT);
    assert.equal(reply.type, "ai");
    assert.equal(reply.content, JOKE);
    assert.match(reply.id, /^run-[0-9a-f-]{36}$/);
    assert.deepEqual(reply.tool_calls, []);
    assert.equal(reply.usage_metadata?.output_tokens, tokenize(JOKE).length);
    assert.equal(reply.usage_metadata?.total_tokens, (reply.usage_metadata?.input_tokens ?? 0) + tokenize(JOKE).length);
    assert.equal(reply.response_metadata?.finish_reason, "stop");
    assert.equal(reply.response_metadata?.model_name, "gpt-4o-mini");
  });

  test("stream yields one chunk per token in order, then a chunk with usage and finish reason", async () => {
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of model().stream(PROMPT)) chunks.push(chunk);
    const last = chunks.pop() as AIMessageChunk;
    assert.deepEqual(
      chunks.map((c) => c.content),
      tokenize(JOKE),
    );
    assert.ok(chunks.every((c) => c.type === "AIMessageChunk" && c.id === last.id && c.tool_call_chunks.length === 0));
    assert.equal(last.content, "");
    assert.equal(last.response_metadata?.finish_reason, "stop");
    assert.equal(last.usage_metadata?.output_tokens, chunks.length);
  });

  test("accepts strings, {role, content}, plain messages, tuples and mixed lists", async () => {
    const chat = model();
    const inputs = [
      "Generate a joke about ice cream and cats",
      [["user", "Generate a joke about ice cream and cats"] as [string, string]],
      [{ type: "system", content: "You are funny." }, { type: "human", content: "Generate a joke about ice cream and cats" }],
      [
        { role: "user", content: "hello" },
        { type: "ai", id: "a1", content: "Hi!", tool_calls: [] },
        "Generate a joke about ice cream and cats",
      ],
    ] as const;
    for (const input of inputs) assert.equal((await chat.invoke(input as never)).content, JOKE);
  });

  test("bad input and options fail with errors naming the field", async () => {
    await assert.rejects(model().invoke([{ role: "wizard", content: "x" }]), /messages\[0\] has unknown role "wizard"/);
    await assert.rejects(model().invoke([]), /messages array is empty/);
    await assert.rejects(model().invoke([{ role: "tool", content: "x" }]), /tool message without a tool_call_id/);
    assert.throws(() => new ChatOpenAI({ temperature: 7 }), /"temperature" must be a number from 0 to 2 \(got 7\)/);
    assert.throws(() => new ChatOpenAI({ baseURL: "localhost:11434" }), /"baseURL" must be an absolute http\(s\) URL/);
    assert.throws(() => new ChatOpenAI({ tags: "nostream" as never }), /"tags" must be an array of strings/);
  });

  test("maxTokens truncates the reply", async () => {
    const reply = await model({ maxTokens: 3 }).invoke(PROMPT);
    assert.equal(reply.content, "Why did the");
    assert.equal(reply.response_metadata?.finish_reason, "length");
  });

  test("bindTools: tool calls stream as tool_call_chunks and come back parsed", async () => {
    const weather = {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    };
    const withTools = model().bindTools([weather]);
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of withTools.stream("Use get_weather for Paris")) chunks.push(chunk);
    const toolChunks = chunks.flatMap((c) => c.tool_call_chunks);
    assert.equal(toolChunks[0].name, "get_weather");
    assert.match(toolChunks[0].id ?? "", /^call_/);
    assert.ok(toolChunks.length > 2 && toolChunks.every((c) => c.index === 0 && c.type === "tool_call_chunk"));
    assert.deepEqual(JSON.parse(toolChunks.map((c) => c.args).join("")), { city: "Paris" });
    assert.equal(chunks.at(-1)?.response_metadata?.finish_reason, "tool_calls");

    const reply = await withTools.invoke("Use get_weather for Paris");
    assert.equal(reply.content, "");
    assert.deepEqual(
      reply.tool_calls.map(({ name, args, type }) => ({ name, args, type })),
      [{ name: "get_weather", args: { city: "Paris" }, type: "tool_call" }],
    );
    // The tool's result goes back as a tool message, and the model answers from it.
    const answer = await withTools.invoke([
      { role: "user", content: "Use get_weather for Paris" },
      reply,
      { type: "tool", tool_call_id: reply.tool_calls[0].id, content: "Sunny, 21°C" },
    ]);
    assert.match(answer.content, /Sunny, 21°C/);
    assert.equal(model().bindTools([weather]).tags.length, 0, "bindTools returns a new model");
  });

  test("tools from a zod schema, and toolChoice forcing a call the prompt did not ask for", async () => {
    const { z } = await import("zod");
    const forced = model({
      tools: [{ name: "rate_joke", description: "Rate a joke", schema: z.object({ stars: z.number().int(), verdict: z.enum(["funny", "meh"]) }) }],
      toolChoice: { name: "rate_joke" },
    });
    const reply = await forced.invoke("Rate this: 5 stars for the cat joke");
    assert.deepEqual(reply.tool_calls[0]?.args, { stars: 5, verdict: "funny" });
    assert.equal(reply.response_metadata?.finish_reason, "tool_calls");
    assert.throws(() => model({ tools: [{ name: "bad name!" }] }), /tools\[0\] needs a name/);
  });

  test("label says which model and endpoint, offline or not, never the key", () => {
    assert.equal(new ChatOpenAI({ env: {} }).label, "rill-offline (Rill's offline model)");
    assert.equal(new ChatOpenAI({ env: { OPENAI_API_KEY: "sk-secret" } }).label, "gpt-4o-mini (OpenAI)");
    const local = new ChatOpenAI({ env: { OPENAI_BASE_URL: "http://user:pw@localhost:11434/v1?key=1", OPENAI_MODEL: "llama3.2" } });
    assert.equal(local.label, "llama3.2 at localhost:11434/v1");
  });
});

describe("ChatOpenAI inside a task that streams messages", () => {
  test("invoke streams under the hood: every token reaches the task with the seed's metadata", async () => {
    const { context, emitted } = recordingContext();
    const reply = await model().invoke(PROMPT, { [TASK_CONTEXT]: context } as never);
    const tokens = emitted.filter(([m]) => m.content !== "").map(([m]) => m.content);
    assert.deepEqual(tokens, tokenize(JOKE), "tokens in order, one per delta");
    assert.equal(tokens.join(""), reply.content, "invoke's result equals the concatenated tokens");
    for (const [message, metadata] of emitted) {
      assert.equal(message.type, "AIMessageChunk");
      assert.equal(message.id, reply.id, "chunks and the result share one id, so the engine can dedupe");
      assert.deepEqual(metadata, {
        ...TASK_METADATA,
        tags: [],
        ls_provider: "openai",
        ls_model_name: "gpt-4o-mini",
        ls_model_type: "chat",
        ls_temperature: 0.7,
      });
    }
    assert.equal((emitted.at(-1)?.[0] as AIMessageChunk).usage_metadata?.output_tokens, tokens.length);
  });

  test("finds the task through AsyncLocalStorage when no config is passed (as the seed's Python does)", async () => {
    const { context, emitted } = recordingContext();
    const reply = await runWithTaskContext(context, () => model().invoke(PROMPT));
    assert.equal(emitted.filter(([m]) => m.content !== "").length, tokenize(JOKE).length);
    assert.equal(reply.content, JOKE);
  });

  test("stream inside a task reports the chunks it yields", async () => {
    const { context, emitted } = recordingContext();
    const seen: AIMessageChunk[] = [];
    for await (const chunk of model().stream(PROMPT, { [TASK_CONTEXT]: context } as never)) seen.push(chunk);
    assert.deepEqual(
      emitted.map(([m]) => m),
      seen,
    );
  });

  test("tags: model and config tags go into metadata; nostream keeps tokens out", async () => {
    const { context, emitted } = recordingContext();
    await model({ tags: ["joke-writer"] }).invoke(PROMPT, { [TASK_CONTEXT]: context, tags: ["run-tag"] } as never);
    assert.deepEqual(emitted[0][1].tags, ["run-tag", "joke-writer"]);

    const quiet = recordingContext();
    const reply = await model({ tags: ["nostream"] }).invoke(PROMPT, { [TASK_CONTEXT]: quiet.context } as never);
    assert.equal(reply.content, JOKE);
    assert.equal(quiet.emitted.length, 0, "a nostream model reports no tokens");
    await model().invoke(PROMPT, { [TASK_CONTEXT]: quiet.context, tags: ["langsmith:nostream"] } as never);
    assert.equal(quiet.emitted.length, 0, "nor does a call tagged nostream in its config");
  });

  test("a task nobody streams messages from gets no tokens and no streaming request", async () => {
    const { context, emitted } = recordingContext(false);
    const reply = await model().invoke(PROMPT, { [TASK_CONTEXT]: context } as never);
    assert.equal(reply.content, JOKE);
    assert.equal(emitted.length, 0);
  });
});

describe("ChatOpenAI aborts", () => {
  async function slowServer() {
    let reportEnd!: (outcome: StreamOutcome) => void;
    const ended = new Promise<StreamOutcome>((resolve) => (reportEnd = resolve));
    const slow = await startOfflineModelServer({ delayMs: 15, onStreamEnd: (outcome) => reportEnd(outcome) });
    return { slow, ended };
  }

  test("config.signal aborts mid-stream: the call rejects and the server sees the request closed", async () => {
    const { slow, ended } = await slowServer();
    try {
      const controller = new AbortController();
      const { context, emitted } = recordingContext(true);
      const call = model({ baseURL: slow.url }).invoke(PROMPT, { [TASK_CONTEXT]: { ...context, emitMessage: (m: StreamedMessage, md: MessageMetadata) => {
        context.emitMessage(m, md);
        if (emitted.length === 3) controller.abort();
      } }, signal: controller.signal } as never);
      await assert.rejects(call, (error: Error) => error.name === "AbortError");
      const outcome = await ended;
      assert.equal(outcome.ending, "client_closed");
      assert.ok(outcome.tokensSent < outcome.tokensPlanned, `server sent ${outcome.tokensSent} of ${outcome.tokensPlanned} tokens`);
      assert.equal(emitted.length, 3, "no tokens are reported after the abort");
    } finally {
      await slow.close();
    }
  });

  test("the task's own signal (run cancelled) aborts too", async () => {
    const { slow, ended } = await slowServer();
    try {
      const controller = new AbortController();
      const { context } = recordingContext(true, controller.signal);
      const chunks = model({ baseURL: slow.url }).stream(PROMPT, { [TASK_CONTEXT]: context } as never);
      const reason = new Error("run cancelled");
      await assert.rejects(
        (async () => {
          let n = 0;
          for await (const _ of chunks) if (++n === 2) controller.abort(reason);
        })(),
        (error) => error === reason,
      );
      assert.equal((await ended).ending, "client_closed");
    } finally {
      await slow.close();
    }
  });

  test("breaking out of stream() closes the request", async () => {
    const { slow, ended } = await slowServer();
    try {
      for await (const chunk of model({ baseURL: slow.url }).stream(PROMPT)) if (chunk.content === " cat") break;
      assert.equal((await ended).ending, "client_closed");
    } finally {
      await slow.close();
    }
  });

  test("an already aborted signal sends nothing", async () => {
    const { context, emitted } = recordingContext();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(model().invoke(PROMPT, { [TASK_CONTEXT]: context, signal: controller.signal } as never), { name: "AbortError" });
    assert.equal(emitted.length, 0);
  });
});
