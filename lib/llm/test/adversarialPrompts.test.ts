// Prompts built to make pattern matching backtrack (long runs of spaces, newlines, quotes, digits, repeated
// keywords) and bodies near the 1 MiB limit: the offline model must give its usual, deterministic answer to
// each. No timing is asserted: with the old patterns the first cases alone took minutes (quadratic in the
// run length), so a regression shows up as this file never finishing (the timeout below guards a hang).
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { startOfflineModelServer, type OfflineModelServer } from "../offline";
import { hashString } from "../offline/hashString";
import { numberedItems } from "../offline/numberedItems";
import { PROMPT_WINDOW_CHARS, promptWindow } from "../offline/promptWindow";
import { cleanSubject, topicOf } from "../offline/promptTopic";
import { EXACT_COUNT_CHARS } from "../offline/promptTokenCount";
import { countTokens, tokenize } from "../offline/tokenize";
import { postJson } from "./rawHttp";

const MiB = 1024 * 1024;
const JOKE = 'Why did the cat sit on the ice cream cone?\n\nBecause it wanted to be a "purr-fect" scoop! 🍦🐱';
const ISSUE_PROMPT = "tell me about x" + " ".repeat(160_000) + "y";
const HANG_GUARD = { timeout: 120_000 };

let server: OfflineModelServer;
let client: OpenAI;
before(async () => {
  server = await startOfflineModelServer({ delayMs: 0 });
  client = new OpenAI({ baseURL: server.url, apiKey: "no-key", maxRetries: 0 });
});
after(() => server.close());

async function reply(content: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) {
  const completion = await client.chat.completions.create({ model: "rill-offline", messages: [{ role: "user", content }], ...extra });
  return completion.choices[0]!;
}

describe("prompt scanners on pathological text", HANG_GUARD, () => {
  test("the issue's prompt: the topic is read across the spaces", () => {
    assert.equal(topicOf(ISSUE_PROMPT), "x y");
    assert.equal(topicOf("tell me about x" + " ".repeat(MiB) + "y"), "x y");
  });

  test("cleanSubject strips long runs of quotes and trailing punctuation, collapses long runs of spaces", () => {
    assert.equal(cleanSubject("“".repeat(MiB / 2) + "cats" + " .".repeat(MiB / 4)), "cats");
    assert.equal(cleanSubject("x" + " ".repeat(MiB) + "y"), "x y");
    assert.equal(cleanSubject("'".repeat(MiB)), "");
    assert.equal(cleanSubject("a".repeat(MiB)), "a".repeat(60) + "…");
  });

  test("topicOf with markers everywhere and no topic after them", () => {
    assert.equal(topicOf("about ".repeat(MiB / 6)), `${"about ".repeat(10).trimEnd()}…`);
    assert.equal(topicOf("of.".repeat(MiB / 3)), undefined);
    assert.equal(topicOf("about" + "\n".repeat(MiB)), undefined);
    assert.equal(topicOf("about" + "\n".repeat(MiB) + "cats"), "cats");
  });

  test("numbered items after a million blank lines", () => {
    assert.deepEqual(numberedItems("\n".repeat(MiB) + "1. a\n2. b"), [
      { n: "1", text: "a" },
      { n: "2", text: "b" },
    ]);
    assert.deepEqual(numberedItems(" \n".repeat(MiB / 2)), []);
    assert.deepEqual(numberedItems("1".repeat(MiB)), []);
    assert.equal(numberedItems("1. x\n".repeat(200_000)).length, 200_000);
  });

  test("the window: whitespace runs collapse, the text is cut at 16 Ki characters, never inside a surrogate pair", () => {
    assert.equal(promptWindow(ISSUE_PROMPT), "tell me about x y");
    assert.equal(promptWindow(" \n\t " + "a" + " \r\n ".repeat(1000) + "b" + " ".repeat(1000)), "a\nb");
    assert.equal(promptWindow("x".repeat(MiB)).length, PROMPT_WINDOW_CHARS);
    assert.equal(promptWindow("a" + "🍦".repeat(MiB / 2)).length, PROMPT_WINDOW_CHARS - 1);
    assert.equal(promptWindow("abc ".repeat(MiB / 4)).length, PROMPT_WINDOW_CHARS - 1, "a trailing space at the cut is dropped");
  });

  test("the tokenizer splits long runs of spaces, symbols, digits and emoji without losing a character", () => {
    const texts = [" ".repeat(MiB) + "y", "! ".repeat(MiB / 2), "1".repeat(MiB), "'s".repeat(MiB / 2), "🍦".repeat(MiB / 2), " \n".repeat(MiB / 2) + "x"];
    for (const text of texts) assert.equal(tokenize(text).join(""), text);
    assert.deepEqual(tokenize(" ".repeat(MiB) + "y"), [" ".repeat(MiB - 1), " y"]);
    assert.equal(tokenize("1".repeat(MiB)).length, Math.ceil(MiB / 3), "digits go three to a token");
  });
});

describe("ordinary prompts get the answers they got before the scanners were rewritten", () => {
  // Recorded from the pattern-based code (a differential run over 200,000 random prompts found no other change).
  const generic = (subject: string) =>
    `Here's a short answer about ${subject}:\n\n1. Start with the basics: what ${subject} is and where it shows up.\n` +
    "2. Look at one concrete example before generalising.\n3. Weigh the trade-offs before you decide.\n\n" +
    "(Answered by Rill's offline model; set OPENAI_API_KEY or OPENAI_BASE_URL to use a real one.)";
  const picked = (text: string) => `Number 1 is the best:\n\n${text}\n\nIt has the tightest setup and the most surprising punchline. 🏆`;
  const cases: Array<[prompt: string, answer: string]> = [
    ["Generate a joke about ice cream and cats", JOKE],
    ["List 3 subtopics of ice cream, one per line, with no numbering and nothing else.", "Competitions involving ice cream\nThe economics of ice cream\nThe history of ice cream"],
    ["Give me 4 fun ideas for coffee", "The science of coffee\nFans of coffee\nEveryday mishaps with coffee\nThe future of coffee"],
    [
      "Pick the best of these jokes about cats. Reply with its number, the joke, and why.\nJoke 1: Why did the cat sit? Because.\nJoke 2: cats walks into a bar.\nJoke 3: Knock knock.",
      picked("Why did the cat sit? Because."),
    ],
    ["Choose the funniest:\n1. one\n2) two\n3: three", picked("one")],
    ["hello there, NASA", "Hello! I'm Rill's offline model: I answer deterministically, with no API key and no network. Ask me for a joke about anything! 👋"],
    ["What is quantum physics?", generic("quantum physics")],
    ["  Describe   TypeScript generics   in   detail.  ", generic("TypeScript generics in detail")],
  ];
  for (const [prompt, answer] of cases) {
    test(JSON.stringify(prompt.slice(0, 50)), async () => {
      assert.equal((await reply(prompt)).message.content, answer);
    });
  }

  test("a prompt naming a tool gets a call with arguments from the schema", async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, unit: { type: "string", enum: ["c", "f"] } }, required: ["city", "days", "unit"] },
        },
      },
    ];
    const call = (await reply("How do I use the weather tool for Paris?", { tools })).message.tool_calls?.[0];
    assert.ok(call?.type === "function");
    assert.equal(call.function.name, "get_weather");
    assert.equal(call.function.arguments, '{"city":"Paris","days":1,"unit":"c"}');
  });
});

describe("the offline model over HTTP, pathological prompts and bodies near 1 MiB", HANG_GUARD, () => {
  test("the issue's prompt gets the generic answer about its topic, the same twice", async () => {
    const first = await reply(ISSUE_PROMPT);
    assert.match(first.message.content ?? "", /^Here's a short answer about x y:\n\n1\. Start with the basics: what x y is/);
    assert.equal((await reply(ISSUE_PROMPT)).message.content, first.message.content);
  });

  test("the same prompt streamed gives the same text", async () => {
    const stream = await client.chat.completions.create({ model: "rill-offline", stream: true, messages: [{ role: "user", content: ISSUE_PROMPT }] });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    assert.equal(text, (await reply(ISSUE_PROMPT)).message.content);
  });

  test("a joke request padded to nearly 1 MiB gets the joke", async () => {
    const prompt = "Generate a joke about ice cream" + " ".repeat(MiB - 200) + "and cats";
    assert.equal((await reply(prompt)).message.content, JOKE);
  });

  test("usage: a prompt is counted exactly up to 16 Ki characters, then estimated at 4 characters a token", async () => {
    const small = "Generate a joke about ice cream and cats";
    assert.equal((await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: small }] })).usage?.prompt_tokens, 3 + 4 + countTokens(small));
    const big = "! ".repeat(MiB / 2 - 100);
    const usage = (await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: big }] })).usage;
    assert.equal(usage?.prompt_tokens, 3 + 4 + countTokens(big.slice(0, EXACT_COUNT_CHARS)) + Math.ceil((big.length - EXACT_COUNT_CHARS) / 4));
  });

  test("a numbered list after half a million newlines (a megabyte of JSON): one item is picked, by the whole prompt's hash", async () => {
    const prompt = "Pick the best joke:" + "\n".repeat(MiB / 2 - 2000) + "1. Alpha\n" + "\n".repeat(1000) + "2. Beta";
    const items = [["1", "Alpha"], ["2", "Beta"]] as const;
    const [n, text] = items[hashString(prompt) % 2]!;
    assert.equal((await reply(prompt)).message.content, `Number ${n} is the best:\n\n${text}\n\nIt has the tightest setup and the most surprising punchline. 🏆`);
  });

  test("'use' a quarter of a million times, with tools: no tool is called; asked in the first sentence, it is", async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: "function", function: { name: "search", parameters: { type: "object", properties: { query: { type: "string" } } } } }];
    const flood = "use ".repeat(MiB / 4 - 100);
    const plain = await reply(flood, { tools });
    assert.equal(plain.finish_reason, "stop");
    assert.equal(plain.message.tool_calls, undefined);
    const asked = await reply("Please use a tool about cats. " + flood, { tools });
    assert.equal(asked.finish_reason, "tool_calls");
    const call = asked.message.tool_calls?.[0];
    assert.ok(call?.type === "function");
    assert.equal(call.function.name, "search");
    assert.deepEqual(JSON.parse(call.function.arguments), { query: "cats" });
  });

  test("a schema requiring 100,000 arguments: the first 100 are filled, from one reading of the prompt", async () => {
    const required = Array.from({ length: 100_000 }, (_, i) => `p${i}`);
    const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: "function", function: { name: "fill", parameters: { type: "object", required, properties: { p1: { type: "integer" } } } } }];
    const choice = await reply("Fill it about cats, 42 times", { tools, tool_choice: "required" });
    const call = choice.message.tool_calls?.[0];
    assert.ok(call?.type === "function");
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    assert.equal(Object.keys(args).length, 100);
    assert.equal(args.p0, "cats");
    assert.equal(args.p1, 42);
    assert.equal(args.p99, "cats");
  });

  test("15,000 tool results: the latest 20 are shown, the rest counted", async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: "user", content: "look it up" },
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "search", arguments: "{}" } }] },
      ...Array.from({ length: 15_000 }, (_, i): OpenAI.Chat.ChatCompletionMessageParam => ({ role: "tool", tool_call_id: "c", content: `r${i}` })),
    ];
    const completion = await client.chat.completions.create({ model: "rill-offline", messages });
    const shown = Array.from({ length: 20 }, (_, i) => `r${14_980 + i}`).join("\n");
    assert.equal(
      completion.choices[0]!.message.content,
      `Here is what the tool returned:\n\n(14980 earlier results not shown)\n${shown}\n\nLet me know if you want me to dig deeper. 🔍`,
    );
  });

  test("tools past OpenAI's limits are refused with a 400 naming the field and the limit", async () => {
    const tool = (name: string, parameters: unknown = {}) => ({ type: "function", function: { name, parameters } });
    const tooMany = await postJson(`${server.url}/chat/completions`, { model: "m", messages: [{ role: "user", content: "hi" }], tools: Array.from({ length: 129 }, (_, i) => tool(`t${i}`)) });
    assert.equal(tooMany.status, 400);
    assert.deepEqual(JSON.parse(tooMany.body).error, { message: "'tools' has 129 tools; at most 128 are allowed.", type: "invalid_request_error", param: "tools", code: null });

    const longName = await postJson(`${server.url}/chat/completions`, { model: "m", messages: [{ role: "user", content: "hi" }], tools: [tool("n".repeat(65))] });
    assert.equal(longName.status, 400);
    assert.equal(JSON.parse(longName.body).error.param, "tools[0].function.name");
    assert.match(JSON.parse(longName.body).error.message, /1 to 64 characters long \(got 65\)/);

    const depth = 100_000;
    const deep = `{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}}]}`;
    const res = await fetch(`${server.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: deep });
    assert.equal(res.status, 400);
    const error = ((await res.json()) as { error: { message: string; param: string } }).error;
    assert.equal(error.param, "tools[0].function.parameters");
    assert.equal(error.message, "tools[0].function.parameters nests deeper than 64 levels.");
  });

  test("an endless chunked body gets a 413 and the connection closes: the server stops reading it", async () => {
    const result = await new Promise<{ status: number | undefined; connection: string | undefined; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(`${server.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        res.on("end", () => {
          resolve({ status: res.statusCode, connection: res.headers.connection, sent });
          req.destroy();
        });
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 1024 * MiB) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      req.write('{"model":"m","messages":[{"role":"user","content":"');
      pump();
    });
    assert.equal(result.status, 413);
    assert.equal(result.connection, "close");
    assert.ok(result.sent < 1024 * MiB, "the answer came before the client could send its gigabyte");
  });

  test("values nested 100,000 deep where a field is checked get a 400 naming the field, not a stack overflow", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const cases = [
      [`{"model":"m","n":${deep},"messages":[{"role":"user","content":"hi"}]}`, "n", "The offline model supports only n=1 (got an array)."],
      [`{"model":"m","messages":[{"role":${deep},"content":"hi"}]}`, "messages[0].role", "messages[0].role must be one of system, developer, user, assistant, tool (got an array)."],
      [`{"model":"m","max_tokens":${deep},"messages":[{"role":"user","content":"hi"}]}`, "max_tokens", "'max_tokens' must be a positive integer (got an array)."],
    ] as const;
    for (const [body, param, message] of cases) {
      const res = await fetch(`${server.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
      assert.equal(res.status, 400, param);
      assert.deepEqual(((await res.json()) as { error: unknown }).error, { message, type: "invalid_request_error", param, code: null });
    }
  });
});
