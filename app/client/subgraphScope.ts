// Where an event from inside a subgraph belongs. A run started with `subgraphs: true` logs its subgraphs'
// events as `[mode, chunk, namespace]`, the namespace outermost first: `["writers_room:<taskId>"]`, or
// `["outer:<id>", "inner:<id>"]` for a subgraph inside a subgraph. Each segment is the node that runs the
// subgraph and that node's task id; the last one is the task the event's node runs inside.

export interface SubgraphScope {
  /** The namespace as one string, as LangGraph writes a checkpoint namespace: "writers_room:<id>". */
  label: string;
  /** The nodes the subgraph sits in, outermost first, "/"-joined: "writers_room". */
  path: string;
  /** How deep: 1 for a subgraph of the root graph. */
  depth: number;
  /** The task that runs the subgraph (the last segment's id). */
  parentTaskId: string;
}

/** The scope of `namespace`, or null for the root (an empty namespace). Scopes are cached per label. */
export function subgraphScope(cache: Map<string, SubgraphScope>, namespace: readonly string[]): SubgraphScope | null {
  if (namespace.length === 0) return null;
  const label = namespace.join("|");
  const hit = cache.get(label);
  if (hit) return hit;
  const names = namespace.map((segment) => {
    const colon = segment.indexOf(":");
    return colon >= 0 ? segment.slice(0, colon) : segment;
  });
  const last = namespace[namespace.length - 1]!;
  const colon = last.indexOf(":");
  const scope: SubgraphScope = {
    label,
    path: names.join("/"),
    depth: namespace.length,
    parentTaskId: colon >= 0 ? last.slice(colon + 1) : last,
  };
  cache.set(label, scope);
  return scope;
}

/** The key a node of a subgraph has in the diagram, the node filter and the node states: "writers_room/pick". */
export function innerNodeKey(scope: SubgraphScope | null, node: string): string {
  return scope ? `${scope.path}/${node}` : node;
}

/** Whether an entry of node key `key` shows under the node filter `filter` (a subgraph node shows its inner nodes' entries too). */
export function matchesNodeFilter(key: string, filter: string): boolean {
  return key === filter || (key.length > filter.length && key.startsWith(filter) && key[filter.length] === "/");
}
