// LayoutCache: the layout each put gets, `[versions, pointers]`, checked against a plain model of the rule
// (a channel the row does not hold, at the same version as in its parent, points where the parent's value
// is), over puts whose channels come and go, change order, and carry string versions; for a thread's next
// step, a fork within the batch, and a parent read back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LayoutCache, parseLayout, type Layout, type PutOp } from "./records";

type Versions = Record<string, number | string>;

function put(id: string, parentId: string | null, versions: Versions, stored: string[]): PutOp {
  return {
    kind: "put",
    threadId: "t",
    ns: "",
    id,
    parentId,
    checkpoint: ["json", "{}"],
    metadata: "{}",
    versions,
    stored: Object.fromEntries(stored.map((channel) => [channel, 1])),
    layout: "{}",
    chained: true,
  };
}

/** The layout the rule gives `op`, its parent's being `parent` (undefined: none). */
function expected(op: PutOp, parent: Layout | undefined): Layout {
  const pointers: Record<string, string> = {};
  if (parent !== undefined) {
    for (const channel of Object.keys(op.versions)) {
      if (channel in op.stored || !(channel in parent.versions) || String(parent.versions[channel]) !== String(op.versions[channel])) continue;
      pointers[channel] = parent.pointers[channel] ?? op.parentId!;
    }
  }
  return { versions: op.versions, pointers };
}

/** Resolves `ops` one batch, checking each layout's text against JSON.stringify of the rule's layout. */
function check(cache: LayoutCache, ops: PutOp[], known: Map<string, Layout>, read: (id: string) => Layout | undefined = () => undefined): void {
  cache.resolveSync(ops, (_thread, _ns, id) => read(id));
  for (const op of ops) {
    const parent = op.parentId === null ? undefined : (known.get(op.parentId) ?? read(op.parentId));
    const want = expected(op, parent);
    assert.equal(op.layout, JSON.stringify([want.versions, want.pointers]), `the layout of ${op.id}`);
    assert.deepEqual(parseLayout(op.layout, op.id), want);
    known.set(op.id, want);
  }
}

describe("LayoutCache", () => {
  it("gives each step the rule's layout while the channels come, go and change order", () => {
    const cache = new LayoutCache();
    const known = new Map<string, Layout>();
    const ops = [
      put("c1", null, { a: 1, b: 1, c: 1 }, ["a", "b", "c"]),
      put("c2", "c1", { a: 2, b: 1, c: 1 }, ["a"]),
      put("c3", "c2", { a: 3, b: 1, c: 1 }, ["a"]),
      put("c4", "c3", { a: 3, b: 2, c: 1, d: 1 }, ["b", "d"]),
      put("c5", "c4", { d: 1, a: 4, c: 1, b: 2 }, ["a"]),
      put("c6", "c5", { a: 5, c: 1 }, ["a"]),
      put("c7", "c6", { a: 6, c: 2 }, []),
      put("c8", "c7", {}, []),
      put("c9", "c8", { a: 7 }, ["a"]),
    ];
    check(cache, ops.slice(0, 4), known);
    check(cache, ops.slice(4), known);
  });

  it("writes string versions (an earlier Rill's) and other values as JSON.stringify does", () => {
    const cache = new LayoutCache();
    const known = new Map<string, Layout>();
    check(
      cache,
      [
        put("c1", null, { a: "000000000001.x1", b: 1 }, ["a", "b"]),
        put("c2", "c1", { a: "000000000001.x1", b: 2 }, ["b"]),
        put("c3", "c2", { a: 1, b: 3 }, ["b"]),
        put("c4", "c3", { a: 1, b: 4 }, ["b"]),
      ],
      known,
    );
  });

  it("finds a forked put's parent in the batch, and reads a parent it has not seen", () => {
    const cache = new LayoutCache();
    const known = new Map<string, Layout>();
    check(
      cache,
      [
        put("c1", null, { a: 1, b: 1 }, ["a", "b"]),
        put("c2", "c1", { a: 2, b: 1 }, ["a"]),
        put("c3", "c2", { a: 3, b: 1 }, ["a"]),
        // A fork from c2, then its next step.
        put("f1", "c2", { a: 3, b: 2 }, ["a", "b"]),
        put("f2", "f1", { a: 4, b: 2 }, ["a"]),
      ],
      known,
    );
    const stored: Layout = { versions: { a: 9, b: 9 }, pointers: { b: "elsewhere" } };
    check(new LayoutCache(), [put("r1", "stored", { a: 10, b: 9 }, ["a"]), put("r2", "r1", { a: 11, b: 9 }, ["a"])], new Map(), (id) => (id === "stored" ? stored : undefined));
  });
});
