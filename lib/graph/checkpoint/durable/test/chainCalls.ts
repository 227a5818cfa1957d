// One mix of the engine's calls (queuePut, queueWrites) for the chain tests of both durable savers: chains
// broken by a fork, another namespace, writes and (`nul`: where ids may hold U+0000, not in PostgreSQL) an
// id that cannot be chained; keys written again within a chain and after it; another thread's chain.
// `chainCallViews` makes them on a saver and returns every read of them: tuples, lists with before / limit
// / filter, the latest and each checkpoint by id.
import type { Checkpoint, CheckpointTuple, PendingWrite } from "../../base";
import type { DurableSaver } from "../durableSaver";

type Saver = DurableSaver<unknown>;
type Call = (saver: Saver) => unknown;

export const config = (thread: string, id?: string, ns = "") => ({ configurable: { thread_id: thread, checkpoint_ns: ns, ...(id === undefined ? {} : { checkpoint_id: id }) } });

/** The engine's put: checkpoint `id` of `thread`, child of `parent`, its channel n at `n`. */
export const put =
  (thread: string, id: string, parent: string | undefined, n: number, ns = ""): Call =>
  (saver) => {
    const checkpoint: Checkpoint = { v: 4, id, ts: `2026-12-06T00:00:${String(n).padStart(2, "0")}.000Z`, channel_values: { n }, channel_versions: { n }, versions_seen: {} };
    return saver.queuePut(config(thread, parent, ns), checkpoint, { source: "loop", step: n, parents: {} }, { n });
  };
const write =
  (thread: string, id: string, task: string, writes: PendingWrite[], ns = ""): Call =>
  (saver) =>
    saver.queueWrites(config(thread, id, ns), writes, task);

/** Checkpoint 9's id: one holding U+0000 (never chained) where ids may hold it. */
const ninth = (nul: boolean) => (nul ? "c\u000009" : "c09");

const firstTick = (nul: boolean): Call[] => [
  put("a", "c01", undefined, 1),
  write("a", "c01", "t1", [["n", 1], ["__interrupt__", "first"]]),
  put("a", "c02", "c01", 2),
  write("a", "c02", "t2", [["n", 2]]),
  write("a", "c02", "t2b", [["__error__", "boom"]]),
  write("a", "c02", "t2", [["n", 22], ["__interrupt__", "again"]]), // the same keys again in the chain
  write("a", "c02", "t2", [["__interrupt__", "last"]]),
  put("a", "c03", "c02", 3),
  put("b", "c04", undefined, 4), // another thread's chain
  write("b", "c04", "t4", [["n", 4]]),
  put("a", "c05", "c02", 5), // a fork: a chain of its own
  write("a", "c05", "t5", [["n", new Uint8Array([5])]]), // not JSON: a row, and the chain ends
  ...(nul ? [write("a", "c05", "t5b", [["ch\u0000nnel", 5]])] : []), // a channel holding U+0000: a row too
  put("a", "c06", "c05", 6),
  put("a", "c07", "c06", 7, "sub:1"), // another namespace: a row
  put("a", "c08", "c06", 8),
  put("a", ninth(nul), "c08", 9),
  put("a", "c10", ninth(nul), 10),
  write("a", "c10", "t10", [["n", 10]]),
];
// Writes on checkpoints whose chains committed: a regular write kept once, a special one replaced.
const secondTick: Call[] = [write("a", "c01", "t1", [["n", 99], ["__interrupt__", "second"]]), write("a", "c03", "t3", [["n", 3]]), write("b", "c04", "t4b", [["n", 44]])];

export const checkpointIds = (nul: boolean) => ["c01", "c02", "c03", "c05", "c06", "c08", ninth(nul), "c10", "c99"];

/** Makes the calls on `saver` (then `more`), and reads back everything. */
export async function chainCallViews<S extends Saver>(saver: S, nul: boolean, more: (saver: S) => Promise<unknown> = async () => undefined) {
  for (const call of firstTick(nul)) call(saver);
  await saver.getTuple(config("a")); // commits what is queued
  for (const call of secondTick) call(saver);
  await more(saver);
  const list = async (cfg: ReturnType<typeof config>, options = {}) => {
    const tuples: CheckpointTuple[] = [];
    for await (const tuple of saver.list(cfg, options)) tuples.push(tuple);
    return tuples;
  };
  return {
    a: await list(config("a")),
    b: await list(config("b")),
    sub: await list(config("a", undefined, "sub:1")),
    everything: await list({ configurable: {} } as never),
    before: await list(config("a"), { before: config("a", "c06"), limit: 2 }),
    limited: await list(config("a"), { limit: 3 }),
    filtered: await list(config("a"), { filter: { step: 2 } }),
    filteredLimited: await list(config("a"), { filter: { source: "loop" }, limit: 2 }),
    latest: [await saver.getTuple(config("a")), await saver.getTuple(config("b"))],
    byId: await Promise.all(checkpointIds(nul).map((id) => saver.getTuple(config("a", id)))),
    exact: await list(config("a", "c02")),
  };
}

/**
 * The engine's two steps (c1, c2) queued in a chain, then a put of c3 forking c1 (its channel "keep"
 * unchanged, so not stored again: its layout must point at c1's row) in the same batch, or (`later`) in the
 * next, while c1's batch may still be committing; returns c3's values and parent as read back.
 */
export async function forkOfChained<S extends Saver>(saver: S, later: boolean) {
  const checkpoint = (id: string, n: number, versions: Record<string, number>): Checkpoint => ({ v: 4, id, ts: "2026-12-06T00:00:00.000Z", channel_values: { keep: "from f1", n }, channel_versions: versions, versions_seen: {} });
  const metadata = { source: "loop" as const, step: 0, parents: {} };
  saver.queuePut(config("f"), checkpoint("f1", 1, { keep: 1, n: 1 }), metadata, { keep: 1, n: 1 });
  saver.queuePut(config("f", "f1"), checkpoint("f2", 2, { keep: 1, n: 2 }), metadata, { n: 2 });
  if (later) await new Promise<void>((resolve) => setImmediate(resolve));
  await saver.put(config("f", "f1"), checkpoint("f3", 3, { keep: 1, n: 3 }), metadata, { n: 3 });
  const tuple = await saver.getTuple(config("f", "f3"));
  return { values: tuple?.checkpoint.channel_values, parent: tuple?.parentConfig?.configurable?.checkpoint_id };
}
