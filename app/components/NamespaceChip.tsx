// Which subgraph an entry comes from: the nodes it sits in ("writers_room ›"), the whole namespace
// ("writers_room:<taskId>") in its tooltip and data-namespace. Nothing for an entry of the root graph.
import type { SubgraphScope } from "../client/subgraphScope";

export function NamespaceChip({ scope }: { scope: SubgraphScope | null }) {
  if (!scope) return null;
  return (
    <span className="chip chip-ns" title={`in subgraph ${scope.label}`} data-namespace={scope.label}>
      {scope.path.replaceAll("/", " › ")} ›
    </span>
  );
}
