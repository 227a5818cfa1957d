// Chains written as queued (queuedChains.ts) hold byte for byte the UTF-8 of the body gatherChains joins
// for the same calls from the general path's operations (preparePut, prepareWrites, LayoutCache), for the
// engine's shapes and for every other one (those take the string writers: escapes, non-ASCII text,
// objects, Sends, odd metadata, ten writes or more on a checkpoint); and what cannot go in a chain is left
// to the general path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChannelVersions, Checkpoint, CheckpointMetadata, PendingWrite } from "../base";
import { BARRIERS_CHANNEL, LAST_NODE_CHANNEL, NEXT_TASKS_CHANNEL } from "../checkpointFields";
import { JsonSerializer } from "../serde";
import { gatherChains } from "./chains";
import { GroupCommit } from "./groupCommit";
import { QueuedChains, type ChainOp, type QueuedOp } from "./queuedChains";
import { LayoutCache, preparePut, prepareWrites, type SaverOp } from "./records";
import { ValueCodec } from "./serialized";

const codec = new ValueCodec(new JsonSerializer());
const THREAD = "t-1";
const config = (checkpointId?: string) => ({ configurable: { thread_id: THREAD, checkpoint_ns: "", ...(checkpointId === undefined ? {} : { checkpoint_id: checkpointId }) } });

type Call = { put: [parent: string | undefined, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions] } | { writes: [checkpointId: string, writes: PendingWrite[], taskId: string] };

const task = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, path: ["__pregel_pull", name], triggers: [`branch:to:${name}`], ...extra });

/** A run of steps, each a put and its task's writes, with the values `state(i)`, metadata `metadata(i)` and writes `writes(i)`. */
function steps(count: number, state: (i: number) => Record<string, unknown>, metadata: (i: number) => unknown, writes: (i: number) => PendingWrite[], tasks = (i: number): unknown => [task(`task-${i}`, i % 2 ? "b" : "a")]): Call[] {
  const calls: Call[] = [];
  let parent: string | undefined;
  const versions: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const id = `cp-${String(i).padStart(4, "0")}`;
    const values: Record<string, unknown> = { ...state(i), [NEXT_TASKS_CHANNEL]: tasks(i), [BARRIERS_CHANNEL]: {} };
    if (i > 0) values[LAST_NODE_CHANNEL] = i % 2 ? "a" : "b";
    // Every channel but the barriers moves at each step (the engine's versions: a number for every channel).
    const moved: ChannelVersions = {};
    for (const channel in values) {
      if (channel === BARRIERS_CHANNEL && i > 0) continue;
      versions[channel] = (versions[channel] ?? 0) + 1;
      moved[channel] = versions[channel];
    }
    const checkpoint: Checkpoint = { v: 4, id, ts: `2026-12-06T00:00:00.${String(i % 1000).padStart(3, "0")}Z`, channel_values: values, channel_versions: { ...versions }, versions_seen: {} };
    calls.push({ put: [parent, checkpoint, metadata(i) as CheckpointMetadata, moved] });
    calls.push({ writes: [id, writes(i), `task-${i}`] });
    parent = id;
  }
  return calls;
}

/** The chain bodies of `calls` written as queued, and whether every call went in a chain. */
async function queuedBodies(calls: Call[]): Promise<{ bodies: Buffer[]; allChained: boolean }> {
  const committed: QueuedOp[] = [];
  const batch = new GroupCommit<QueuedOp>((ops) => void committed.push(...ops), 1_000_000);
  const chains = new QueuedChains(
    batch,
    new LayoutCache(),
    () => false,
    () => 0,
    (cfg, checkpoint, metadata, newVersions) => preparePut("Test", codec, cfg, checkpoint, metadata, newVersions, true),
  );
  let allChained = true;
  for (const call of calls) {
    const queued = "put" in call ? chains.put(THREAD, config(call.put[0]), ...call.put.slice(1) as [Checkpoint, CheckpointMetadata, ChannelVersions]) : chains.writes(THREAD, call.writes[0], "", call.writes[1], call.writes[2]);
    if (queued === undefined) allChained = false;
  }
  await batch.drain();
  return { bodies: committed.filter((op): op is ChainOp => op.kind === "chain").map((op) => Buffer.from(op.bytes())), allChained };
}

/** The chain bodies gatherChains joins for the general path's operations of `calls`. */
function gatheredBodies(calls: Call[]): Buffer[] {
  const ops: SaverOp[] = calls.map((call) =>
    "put" in call ? preparePut("Test", codec, config(call.put[0]), ...call.put.slice(1) as [Checkpoint, CheckpointMetadata, ChannelVersions], true) : prepareWrites("Test", codec, config(call.writes[0]), call.writes[1], call.writes[2]),
  );
  new LayoutCache().resolveSync(ops, () => undefined);
  const bodies: Buffer[] = [];
  gatherChains(ops, true, { put: () => assert.fail("a put left out of the chain"), write: () => assert.fail("a write left out of the chain"), chain: (c) => bodies.push(Buffer.from(c.body as string, "utf8")) });
  return bodies;
}

async function assertSameBodies(calls: Call[]): Promise<void> {
  const { bodies, allChained } = await queuedBodies(calls);
  assert.ok(allChained, "every call went in a chain");
  const expected = gatheredBodies(calls);
  assert.equal(bodies.length, expected.length);
  for (let i = 0; i < bodies.length; i++) assert.equal(bodies[i].toString("utf8"), expected[i].toString("utf8"), `chain ${i}`);
  for (let i = 0; i < bodies.length; i++) assert.ok(bodies[i].equals(expected[i]), `chain ${i}: the same bytes`);
}

const engineMetadata = (i: number) => ({ source: i === 0 ? "input" : "loop", step: i - 1, parents: {}, run_id: "run-1" });

describe("queued chains: the bytes of gatherChains' body", () => {
  it("for the engine's loop: counters, task lists, metadata with and without a run id, writes", async () => {
    await assertSameBodies(steps(300, (i) => ({ n: i }), (i) => (i % 3 === 0 ? { source: "loop", step: i, parents: {} } : engineMetadata(i)), (i) => [["n", i + 1]]));
  });

  it("for values the string writers take: escapes, non-ASCII text, objects, odd numbers", async () => {
    const odd = ["é ü 中文", "emoji 😀", 'quo"te', "back\\slash", "new\nline", "\u0000nul", "lone \ud800", "\u2028"];
    await assertSameBodies(
      steps(
        40,
        (i) => ({
          text: odd[i % odd.length],
          nested: [[1, [2, [3, [4, [5]]]]], "x", null, true, false],
          object: i % 5 === 0 ? { a: 1, b: [odd[i % odd.length]] } : i,
          numbers: [-1, -0, 0.5, 1e21, 2 ** 53, NaN, Infinity, -Infinity],
          flag: i % 2 === 0,
          none: null,
        }),
        engineMetadata,
        (i) => [
          ["text", odd[i % odd.length]],
          ["object", { deep: [i, "ü"] }],
          ["number", i / 3],
          ["list", [["n", i], ["é", null]]],
        ],
      ),
    );
  });

  it("for odd metadata, tasks with a Send's args or a non-ASCII id, and channels coming and going", async () => {
    await assertSameBodies(
      steps(
        30,
        (i) => (i % 4 === 0 ? { n: i, extra: "x" } : { n: i }),
        (i) => [engineMetadata(i), { step: i, source: "loop", parents: {} }, { source: "loop", step: i, parents: { "": "p" } }, { source: "é", step: -1.5, parents: {}, writes: { a: 1 } }][i % 4],
        (i) => [["n", i]],
        (i) => (i % 3 === 0 ? [task(`tâsk-${i}`, "a"), task(`send-${i}`, "b", { args: { to: "b", n: i } })] : i % 3 === 1 ? [] : [task(`task-${i}`, "c")]),
      ),
    );
  });

  it("for ten writes or more on a checkpoint, and none", async () => {
    const many = (i: number): PendingWrite[] => Array.from({ length: i % 3 === 0 ? 0 : i % 3 === 1 ? 12 : 105 }, (_, k) => [k % 2 ? "n" : "__interrupt__", k]);
    await assertSameBodies(steps(20, (i) => ({ n: i }), engineMetadata, many));
  });

  it("leaves to the general path what cannot go in a chain", async () => {
    const calls = steps(3, (i) => ({ n: i }), engineMetadata, (i) => [["n", i]]);
    const committed: QueuedOp[] = [];
    const batch = new GroupCommit<QueuedOp>((ops) => void committed.push(...ops));
    const chains = new QueuedChains(batch, new LayoutCache(), () => false, () => 0, (cfg, cp, md, nv) => preparePut("Test", codec, cfg, cp, md, nv, true));
    const [first, , second] = calls as Array<{ put: [string | undefined, Checkpoint, CheckpointMetadata, ChannelVersions] }>;
    assert.ok(chains.put(THREAD, config(first.put[0]), first.put[1], first.put[2], first.put[3]));
    assert.equal(chains.writes(THREAD, "cp-0000", "", [["n", 1], ["n", new Uint8Array([1])]], "t"), undefined, "bytes are not JSON");
    assert.equal(chains.writes(THREAD, "cp-0000", "", [["ch\u0000nnel", 1]], "t"), undefined, "a channel holding U+0000");
    assert.equal(chains.writes(THREAD, "cp-0000", "sub:1", [["n", 1]], "t"), undefined, "another namespace");
    assert.equal(chains.writes(THREAD, "other", "", [["n", 1]], "t"), undefined, "not the chain's last checkpoint");
    assert.equal(chains.put(THREAD, config("unknown"), second.put[1], second.put[2], second.put[3]), undefined, "a parent whose layout is not the thread's last");
    const nul = { ...second.put[1], id: "c\u00001" };
    assert.equal(chains.put(THREAD, config("cp-0000"), nul, second.put[2], second.put[3]), undefined, "an id holding U+0000");
    chains.general(true);
    assert.equal(chains.put(THREAD, config("cp-0000"), second.put[1], second.put[2], second.put[3]), undefined, "a put of the general path waits to be resolved");
    await batch.drain();
    assert.equal(committed.length, 1);
    // Nothing of the refused calls is left in the chain.
    assert.equal(Buffer.from((committed[0] as ChainOp).bytes()).toString("utf8"), gatheredBodies([first])[0].toString("utf8"));
  });

  it("leaves a chain as it was when writing a checkpoint throws", async () => {
    const calls = steps(2, (i) => ({ n: i }), engineMetadata, (i) => [["n", i]]);
    const committed: QueuedOp[] = [];
    const batch = new GroupCommit<QueuedOp>((ops) => void committed.push(...ops));
    const chains = new QueuedChains(batch, new LayoutCache(), () => false, () => 0, (cfg, cp, md, nv) => preparePut("Test", codec, cfg, cp, md, nv, true));
    const [first, writes] = calls as [{ put: [string | undefined, Checkpoint, CheckpointMetadata, ChannelVersions] }, { writes: [string, PendingWrite[], string] }];
    chains.put(THREAD, config(first.put[0]), first.put[1], first.put[2], first.put[3]);
    chains.writes(THREAD, ...writes.writes.slice(0, 1) as [string], "", writes.writes[1], writes.writes[2]);
    const bad = { ...first.put[1], id: "cp-bad", channel_values: { ...first.put[1].channel_values, n: 10n } };
    assert.throws(() => chains.put(THREAD, config("cp-0000"), bad, first.put[2], first.put[3]), /BigInt/);
    await batch.drain();
    const chain = committed[0] as ChainOp;
    assert.equal(chain.lastId, "cp-0000");
    assert.equal(Buffer.from(chain.bytes()).toString("utf8"), gatheredBodies(calls.slice(0, 2))[0].toString("utf8"));
  });
});
