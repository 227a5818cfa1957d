// What a hostile or clumsy client sends, and what the server must answer: a 4xx with a reason, an error
// reply naming the problem, or a close with the WebSocket code for it; never an exception. Shared by
// the suite without Next (withoutNext.test.ts, in `npm run test:unit`) and with the production Next build
// (withNext.e2e.ts, in `npm run test:e2e`): Next must not be what keeps the server up.
import assert from "node:assert/strict";
import type { AttackTarget } from "./attackTargetProcess";
import { FrameSession } from "./frameSession";
import { get, postJson, rawHttp, rawWebSocketFrame, upgrade } from "./rawHttp";

export interface AttackContext {
  target: AttackTarget;
  /** The run a bystander is streaming throughout. */
  bystanderRunId: string;
}

export interface AttackCase {
  name: string;
  run(context: AttackContext): Promise<void>;
}

const BAD_ESCAPE = "%E0%A4%A"; // a truncated UTF-8 sequence: decodeURIComponent throws URIError
const MAX_MESSAGE_BYTES = 1024 * 1024; // RILL_MAX_MESSAGE_BYTES's default, which the target uses

/** The error message of a JSON error body ({ error: { message } }, as this server and tRPC send), else the body. */
function messageOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === "string" ? message : body;
  } catch {
    return body;
  }
}

async function expectHttp(port: number, request: string, status: number, body: RegExp): Promise<void> {
  const answer = await rawHttp(port, request);
  assert.equal(answer.status, status, `status of ${JSON.stringify(request.split("\r\n")[0])}: ${answer.body}`);
  assert.match(messageOf(answer.body), body);
}

function query(id: number | string, path: string, input?: unknown): string {
  return JSON.stringify({ id, method: "query", params: { path, ...(input === undefined ? {} : { input }) } });
}

/** Sends a frame and expects an error reply (id null unless given) whose code and message match. */
async function expectFrameError(
  context: AttackContext,
  frame: string | Buffer,
  expected: { id?: unknown; code: string; message: RegExp },
  options: { binary?: boolean } = {},
): Promise<void> {
  const session = await FrameSession.open(context.target.wsUrl);
  try {
    session.send(frame, options);
    const reply = await session.nextJson();
    assert.equal(reply.id, expected.id ?? null, `reply: ${JSON.stringify(reply).slice(0, 300)}`);
    assert.equal(reply.error?.data?.code, expected.code, `reply: ${JSON.stringify(reply).slice(0, 300)}`);
    assert.match(reply.error!.message, expected.message);
    await stillAnswers(session);
  } finally {
    session.close();
  }
}

/** The connection still serves requests after the bad one. */
async function stillAnswers(session: FrameSession): Promise<void> {
  session.send(query("after", "graphs.list"));
  const reply = await session.replyTo("after");
  assert.ok(Array.isArray(reply.result?.data), `graphs.list after the attack: ${JSON.stringify(reply).slice(0, 300)}`);
}

/** Sends a frame and expects the server to close the connection with `code`. */
async function expectClose(context: AttackContext, frame: string | Buffer, options: { binary: boolean }, code: number): Promise<void> {
  const session = await FrameSession.open(context.target.wsUrl);
  session.send(frame, options);
  const closed = await session.closed;
  assert.equal(closed.code, code, `closed with ${closed.code} ${closed.reason}`);
}

function deeplyNested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

async function runsOfGraph(port: number, graphId: string): Promise<number> {
  const answer = await rawHttp(port, get(`/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ graphId }))}`));
  assert.equal(answer.status, 200, answer.body);
  return (JSON.parse(answer.body) as { result: { data: unknown[] } }).result.data.length;
}

export const attackCases: AttackCase[] = [
  // ---- HTTP: the request line and the Host header ----
  {
    name: "a page path with a malformed percent-escape gets 400",
    run: ({ target }) => expectHttp(target.port, get(`/runs/${BAD_ESCAPE}`), 400, /malformed percent-escape/),
  },
  {
    name: "an offline-model path with a malformed percent-escape gets 400",
    run: ({ target }) => expectHttp(target.port, get(`/v1/models/${BAD_ESCAPE}`), 400, /malformed percent-escape/),
  },
  {
    name: "a tRPC query whose input has a malformed percent-escape gets 400",
    run: ({ target }) => expectHttp(target.port, get(`/api/trpc/system.info?input=${BAD_ESCAPE}`), 400, /malformed percent-escape/),
  },
  {
    name: "a request target that is not a URL gets 400",
    run: ({ target }) => expectHttp(target.port, get("//["), 400, /is not a valid URL/),
  },
  {
    name: "OPTIONS * gets 400, not Next's 500",
    run: ({ target }) => expectHttp(target.port, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400, /is not a path/),
  },
  {
    name: "a proxy's absolute URL gets 400, not a redirect to it",
    run: ({ target }) => expectHttp(target.port, get("http://elsewhere.example/runs/abc"), 400, /is not a path/),
  },
  {
    name: "CONNECT gets 405, not a silent drop",
    run: ({ target }) => expectHttp(target.port, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 405, /CONNECT is not supported/),
  },
  {
    name: "a request line that is not HTTP gets 400",
    run: ({ target }) => expectHttp(target.port, "HELLO THERE\r\n\r\n", 400, /^$/),
  },
  {
    name: "headers over Node's 16 KiB limit get 431",
    run: ({ target }) => expectHttp(target.port, get("/", "127.0.0.1", `X-Pad: ${"x".repeat(20_000)}\r\n`), 431, /^$/),
  },
  {
    name: "Host: [ gets 400",
    run: ({ target }) => expectHttp(target.port, get("/", "["), 400, /Host header "\[" is not a host/),
  },
  {
    name: "a Host with a port past 65535 gets 400",
    run: ({ target }) => expectHttp(target.port, get("/api/trpc/system.info", "localhost:99999"), 400, /Host header "localhost:99999"/),
  },
  {
    name: "an empty Host gets 400",
    run: ({ target }) => expectHttp(target.port, get("/api/trpc/system.info", ""), 400, /Host header is empty/),
  },
  // ---- HTTP: tRPC ----
  {
    name: "a subscription over HTTP (server-sent events) gets 405 naming the WebSocket, and starts no run",
    async run({ target }) {
      const before = await runsOfGraph(target.port, "joke");
      const input = encodeURIComponent(JSON.stringify({ graphId: "joke", input: { topic: "sse" } }));
      await expectHttp(target.port, get(`/api/trpc/runs.stream?input=${input}`, "127.0.0.1", "Accept: text/event-stream\r\n"), 405, /WebSocket at \/api\/trpc/);
      assert.equal(await runsOfGraph(target.port, "joke"), before, "no run was started");
    },
  },
  {
    name: "a subscription inside an HTTP batch gets 405",
    run: ({ target }) => expectHttp(target.port, get("/api/trpc/system.info,runs.streamBatches?batch=1"), 405, /runs\.streamBatches is a subscription/),
  },
  {
    name: "a mutation with a malformed JSON body gets 400",
    run: ({ target }) => expectHttp(target.port, postJson("/api/trpc/runs.cancel", "{"), 400, /PARSE_ERROR|JSON/),
  },
  {
    name: "an unknown procedure over HTTP gets 404",
    run: ({ target }) => expectHttp(target.port, get("/api/trpc/nope.nothing"), 404, /nope\.nothing/),
  },
  {
    name: "a resume value nested 100,000 deep gets 400 naming the depth limit",
    run: ({ target }) =>
      expectHttp(
        target.port,
        postJson("/api/trpc/runs.resume", `{"runId":"run_nonexistent","resume":${deeplyNested(100_000)}}`),
        400,
        /resume: objects and arrays nest deeper than this server's limit of 100 levels/,
      ),
  },
  // ---- WebSocket upgrades ----
  {
    name: "a WebSocket upgrade with Host: [ gets 400, not 101 and a dead socket",
    run: ({ target }) => expectHttp(target.port, upgrade("/api/trpc", "["), 400, /Host header "\["/),
  },
  {
    name: "a WebSocket upgrade with a malformed percent-escape gets 400",
    run: ({ target }) => expectHttp(target.port, upgrade(`/api/trpc?x=${BAD_ESCAPE}`), 400, /malformed percent-escape/),
  },
  {
    name: "a WebSocket upgrade of a path that serves none gets 404",
    run: ({ target }) => expectHttp(target.port, upgrade("/somewhere"), 404, /no WebSocket at \/somewhere/),
  },
  {
    name: "a WebSocket upgrade with an unknown protocol version gets 400",
    run: ({ target }) => expectHttp(target.port, upgrade("/api/trpc", "127.0.0.1", "99"), 400, /Sec-WebSocket-Version/),
  },
  // ---- WebSocket frames ----
  {
    name: "an empty batch [] gets a PARSE_ERROR naming it",
    run: (context) => expectFrameError(context, "[]", { code: "PARSE_ERROR", message: /empty batch/ }),
  },
  {
    name: "malformed JSON gets a PARSE_ERROR",
    run: (context) => expectFrameError(context, "{nope", { code: "PARSE_ERROR", message: /JSON/ }),
  },
  {
    name: "a frame that is not an object gets a PARSE_ERROR",
    run: (context) => expectFrameError(context, "123", { code: "PARSE_ERROR", message: /the request is 123, not a request object/ }),
  },
  {
    name: "a batch with a request that is not an object gets a PARSE_ERROR naming which",
    run: (context) =>
      expectFrameError(context, `[${query(1, "graphs.list")},"x"]`, { code: "PARSE_ERROR", message: /request 1 of the batch: is "x", not a request object/ }),
  },
  {
    name: "a request without a procedure path gets a PARSE_ERROR naming params.path",
    run: (context) =>
      expectFrameError(context, JSON.stringify({ id: 1, method: "query", params: { input: {} } }), { code: "PARSE_ERROR", message: /params\.path undefined is not a procedure name/ }),
  },
  {
    name: "an unknown method gets a PARSE_ERROR",
    run: (context) =>
      expectFrameError(context, JSON.stringify({ id: 1, method: "delete", params: { path: "runs.list" } }), { code: "PARSE_ERROR", message: /method "delete" is not "query", "mutation", "subscription" or "subscription.stop"/ }),
  },
  {
    name: "an unknown procedure gets NOT_FOUND under its id",
    run: (context) => expectFrameError(context, query(7, "nope.nothing"), { id: 7, code: "NOT_FOUND", message: /nope\.nothing/ }),
  },
  {
    name: "a request without an id gets a PARSE_ERROR",
    run: (context) => expectFrameError(context, query(null as never, "graphs.list"), { code: "PARSE_ERROR", message: /`id` is required/ }),
  },
  {
    name: "a binary frame gets a PARSE_ERROR",
    run: (context) => expectFrameError(context, Buffer.from(query(1, "graphs.list")), { code: "PARSE_ERROR", message: /binary/ }, { binary: true }),
  },
  {
    name: "a run input nested 100,000 deep gets BAD_REQUEST naming the depth limit",
    run: (context) =>
      expectFrameError(
        context,
        `{"id":3,"method":"subscription","params":{"path":"runs.stream","input":{"graphId":"joke","input":${deeplyNested(100_000)}}}}`,
        { id: 3, code: "BAD_REQUEST", message: /input: objects and arrays nest deeper than this server's limit of 100 levels/ },
      ),
  },
  {
    name: "a message over RILL_MAX_MESSAGE_BYTES gets PAYLOAD_TOO_LARGE under its id",
    run: (context) =>
      expectFrameError(context, query(9, "graphs.list", { pad: "x".repeat(MAX_MESSAGE_BYTES + 10) }), {
        id: 9,
        code: "PAYLOAD_TOO_LARGE",
        message: /RILL_MAX_MESSAGE_BYTES/,
      }),
  },
  {
    name: "a 100,000-character id is answered under that id",
    async run({ target }) {
      const session = await FrameSession.open(target.wsUrl);
      const id = "i".repeat(100_000);
      session.send(query(id, "graphs.list"));
      const reply = await session.nextJson();
      assert.equal(reply.id, id);
      assert.ok(Array.isArray(reply.result?.data));
      session.close();
    },
  },
  {
    name: "subscription.stop for an id that is no subscription is ignored, and the connection serves on",
    async run({ target }) {
      const session = await FrameSession.open(target.wsUrl);
      session.send(JSON.stringify({ id: 404, method: "subscription.stop" }));
      session.send(query("after", "graphs.list"));
      const reply = await session.nextJson();
      assert.equal(reply.id, "after", "the stop got no reply, the query did");
      session.close();
    },
  },
  {
    name: "a second subscription under an id in use gets BAD_REQUEST, the first streams on",
    async run({ target, bystanderRunId }) {
      const session = await FrameSession.open(target.wsUrl);
      const join = JSON.stringify({ id: 5, method: "subscription", params: { path: "runs.stream", input: { runId: bystanderRunId } } });
      session.send(join);
      assert.equal((await session.replyTo(5)).result?.type, "started");
      session.send(join);
      for (;;) {
        const reply = await session.replyTo(5);
        if (reply.error) {
          assert.equal(reply.error.data?.code, "BAD_REQUEST");
          assert.match(reply.error.message, /Duplicate id 5/);
          break;
        }
      }
      const more = await session.replyTo(5);
      assert.equal(more.result?.type, "data", "the first subscription goes on");
      session.close();
    },
  },
  {
    name: "a malformed connectionParams message gets an error reply and a close",
    async run({ target }) {
      const session = await FrameSession.open(`${target.wsUrl}?connectionParams=1`);
      session.send(JSON.stringify({ method: "connectionParams", data: { token: 5 } }));
      const reply = await session.nextJson();
      assert.equal(reply.id, null);
      assert.ok(reply.error, `reply: ${JSON.stringify(reply)}`);
      await session.closed;
    },
  },
  {
    name: "PING is answered with PONG",
    async run({ target }) {
      const session = await FrameSession.open(target.wsUrl);
      session.send("PING");
      assert.equal(await session.next(), "PONG");
      session.close();
    },
  },
  {
    name: "a text frame of invalid UTF-8 is closed with 1007",
    run: (context) => expectClose(context, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }, 1007),
  },
  {
    name: "a frame over 4x RILL_MAX_MESSAGE_BYTES is closed with 1009",
    run: (context) => expectClose(context, query(1, "graphs.list", { pad: "x".repeat(4 * MAX_MESSAGE_BYTES + 10) }), { binary: false }, 1009),
  },
  {
    name: "an unmasked client frame is closed with 1002",
    async run({ target }) {
      const payload = Buffer.from(query(1, "graphs.list"));
      const frame = Buffer.concat([Buffer.from([0x81, payload.length]), payload]); // FIN + text, no mask bit
      assert.equal(await rawWebSocketFrame(target.port, "/api/trpc", frame), 1002);
    },
  },
  {
    name: "a frame with a reserved opcode is closed with 1002",
    async run({ target }) {
      const frame = Buffer.from([0x83, 0x80, 1, 2, 3, 4]); // FIN + opcode 3 (reserved), masked, empty
      assert.equal(await rawWebSocketFrame(target.port, "/api/trpc", frame), 1002);
    },
  },
];
