// The graph a checkpoint namespace belongs to: "child:<taskId>|grandchild:<taskId>" walks the root plan's
// subgraph nodes ("child", then its "grandchild"); a persistent subgraph's part is its bare node name.
import type { GraphPlan } from "./plan";

/** The plan of the (sub)graph that writes checkpoints under `checkpointNs`; the root's for "". Undefined when no node matches. */
export function planAtNamespace(root: GraphPlan, checkpointNs: string): GraphPlan | undefined {
  if (checkpointNs === "") return root;
  let plan: GraphPlan = root;
  for (const part of checkpointNs.split("|")) {
    const colon = part.indexOf(":");
    const name = colon === -1 ? part : part.slice(0, colon);
    const child = plan.nodes.get(name)?.subgraph?.plan;
    if (child === undefined) return undefined;
    plan = child;
  }
  return plan;
}
