// The functional API: entrypoint(), task(), getPreviousState(), entrypoint.final, on Rill's engine.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command, MemorySaver, entrypoint, getCurrentTaskInput, getPreviousState, interrupt, isNodeTimeoutError, task } from "../index";

const thread = (id: string) => ({ configurable: { thread_id: id } });

describe("functional API", () => {
  it("an entrypoint runs its tasks and returns the function's value; updates stream each task, then the entrypoint", async () => {
    const double = task("double", async (x: number) => x * 2);
    const graph = entrypoint({ name: "graph" }, async (xs: number[]) => Promise.all(xs.map((x) => double(x))));
    assert.deepEqual(await graph.invoke([1, 2]), [2, 4]);
    const chunks: unknown[] = [];
    for await (const chunk of graph.stream([3])) chunks.push(chunk);
    assert.deepEqual(chunks, [{ double: 6 }, { graph: [6] }]);
    const values: unknown[] = [];
    for await (const chunk of graph.stream([4], { streamMode: "values" })) values.push(chunk);
    assert.deepEqual(values, [[8]]);
  });

  it("a resumed entrypoint does not run finished tasks again, and each interrupt gets its own resume value", async () => {
    let calls = 0;
    const double = task("double", (x: number) => {
      calls++;
      return 2 * x;
    });
    const ask = task("ask", (question: string) => interrupt(question) as string);
    const graph = entrypoint({ name: "graph", checkpointer: new MemorySaver() }, async () => {
      const out: unknown[] = [];
      for (const x of [1, 2]) {
        out.push(await double(x));
        out.push(interrupt(`own ${x}`));
      }
      out.push(await ask("from a task"));
      return out;
    });
    const config = thread("t1");
    const first = (await graph.invoke([], config)) as unknown as { __interrupt__: Array<{ value: unknown }> };
    assert.equal(first.__interrupt__[0].value, "own 1");
    assert.equal(((await graph.invoke(new Command({ resume: "a" }), config)) as unknown as typeof first).__interrupt__[0].value, "own 2");
    assert.equal(((await graph.invoke(new Command({ resume: "b" }), config)) as unknown as typeof first).__interrupt__[0].value, "from a task");
    assert.deepEqual(await graph.invoke(new Command({ resume: "c" }), config), [2, "a", 4, "b", "c"]);
    assert.equal(calls, 2);
    assert.equal((await graph.getState(config)).tasks.length, 0);
  });

  it("getPreviousState and entrypoint.final: the saved value is not the returned one; updateState sets it", async () => {
    const saver = new MemorySaver();
    const graph = entrypoint({ name: "acc", checkpointer: saver }, (n: number) => {
      const previous = getPreviousState<number | undefined>() ?? 0;
      return entrypoint.final({ value: previous + n, save: n });
    });
    const config = thread("t2");
    assert.equal(await graph.invoke(1, config), 1);
    assert.equal(await graph.invoke(2, config), 3);
    await graph.updateState(config, 10);
    assert.equal(await graph.invoke(5, config), 15);
    const tuple = await saver.getTuple(config);
    assert.equal(tuple?.checkpoint.channel_values.__previous__, 5);
  });

  it("task retry policy, errors, generators refused, a task called outside a graph just runs", async () => {
    let attempts = 0;
    const flaky = task({ name: "flaky", retry: { maxAttempts: 3, initialInterval: 1, jitter: false, logWarning: false } }, () => {
      if (++attempts < 3) throw new Error("not yet");
      return "ok";
    });
    assert.equal(await entrypoint("retry", () => flaky()).invoke([]), "ok");
    const failing = task("failing", () => {
      throw new Error("boom");
    });
    await assert.rejects(entrypoint("err", () => failing()).invoke([]), /boom/);
    assert.throws(() => task("gen", function* () {}), /Generators are disallowed as tasks/);
    assert.throws(() => entrypoint("gen", async function* () {}), /Generators are disallowed as entrypoints/);
    assert.equal(await task("plain", (x: number) => x + 1)(1), 2);
  });

  it("a failed entrypoint run again on its thread does not repeat the task() calls that finished", async () => {
    let expensive = 0;
    let flaky = 0;
    const slow = task("slow", () => ++expensive);
    const failOnce = task("failOnce", () => {
      if (++flaky === 1) throw new Error("first time");
      return "ok";
    });
    const graph = entrypoint({ name: "g", checkpointer: new MemorySaver() }, async () => [await slow(), await failOnce()]);
    const config = thread("t3");
    await assert.rejects(graph.invoke([], config), /first time/);
    assert.deepEqual(await graph.invoke(null, config), [1, "ok"]);
    assert.equal(expensive, 1);
  });

  it("tasks interrupting side by side: each resume answers the interrupt that was reported", async () => {
    const ask = task("ask", async (name: string) => {
      await Promise.resolve();
      return `${name}:${interrupt(`${name}?`) as string}`;
    });
    const graph = entrypoint({ name: "g", checkpointer: new MemorySaver() }, async () => Promise.all([ask("a"), ask("b")]));
    const config = thread("t4");
    type Stopped = { __interrupt__: Array<{ value: string }> };
    const first = (await graph.invoke([], config)) as unknown as Stopped;
    const asked = first.__interrupt__[0].value;
    const second = (await graph.invoke(new Command({ resume: `for ${asked}` }), config)) as unknown as Stopped;
    const other = second.__interrupt__[0].value;
    assert.notEqual(other, asked);
    const result = (await graph.invoke(new Command({ resume: `for ${other}` }), config)) as string[];
    assert.deepEqual(result, ["a:for a?", "b:for b?"]);
  });

  it("getCurrentTaskInput: an entrypoint's input, a task() call's arguments", async () => {
    const seen: unknown[] = [];
    const inner = task("inner", (a: number, b: number) => {
      seen.push(getCurrentTaskInput());
      return a + b;
    });
    const graph = entrypoint("g", async (input: { n: number }) => {
      seen.push(getCurrentTaskInput());
      return inner(input.n, 1);
    });
    assert.equal(await graph.invoke({ n: 2 }), 3);
    assert.deepEqual(seen, [{ n: 2 }, [2, 1]]);
  });

  it("task({ timeout }) fails a call that outlives it with NodeTimeoutError naming the task", async () => {
    const stuck = task({ name: "stuck", timeout: 20 }, (_x: number) => new Promise<number>(() => {}));
    const graph = entrypoint("waits", async (x: number) => stuck(x));
    const error = await graph.invoke(1).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isNodeTimeoutError(error), `expected a NodeTimeoutError, got ${String(error)}`);
    assert.equal((error as { node: string }).node, "stuck");
    assert.throws(() => task({ name: "idle", timeout: { idleTimeout: 5 } }, () => 1), /task\("idle"\): idleTimeout is not supported/);
  });

  it("entrypoint({ timeout }) fails an attempt that outlives it and aborts its signal; a task it started still runs", async () => {
    let childRan = false;
    const child = task("child", async (x: number) => {
      childRan = true;
      return x + 1;
    });
    let aborted = false;
    const graph = entrypoint({ name: "slow", timeout: 20 }, async (x: number, config: { signal?: AbortSignal }) => {
      const pending = child(x);
      await new Promise<void>((resolve) => config.signal!.addEventListener("abort", () => resolve(), { once: true }));
      aborted = true;
      return pending;
    });
    const error = await graph.invoke(1).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isNodeTimeoutError(error), `expected a NodeTimeoutError, got ${String(error)}`);
    assert.equal(aborted, true);
    assert.equal(childRan, true);
  });
});
