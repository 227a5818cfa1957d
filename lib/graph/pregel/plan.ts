// The compiled topology a run executes: for every node, what it runs and where its edges lead.
// Built once by StateGraph.compile(); read-only afterwards.
import type { Branch } from "../branch";
import type { StateChannels } from "../channels/stateChannels";
import type { BaseCheckpointSaver } from "../checkpoint/base";
import type { RetryPolicy } from "../retry";
import type { CachePolicy, NodeCache } from "../nodeOptions/cache";
import type { TimeoutPolicy } from "../nodeOptions/timeoutPolicy";

/** The subgraph side of a compiled graph used as a node (implemented by CompiledStateGraph). */
export interface SubgraphRunner {
  readonly plan: GraphPlan;
}

export type NodeFunction = (state: any, config: any) => unknown;

/** `addEdge([a, b], c)`: c runs once a and b have all finished (since c last ran). */
export interface JoinEdge {
  /** LangGraph.js's channel name, shown as the trigger: `join:a+b:c`. */
  channel: string;
  /** `[channel]`, shared by every task it triggers. */
  triggers: string[];
  starts: string[];
  end: string;
}

/** What leaves a node (or START) once it finished. */
export interface Exits {
  /** Static successors (END excluded). */
  edges: PlanNode[];
  /** Waiting edges this node is one of the starts of. */
  joins: JoinEdge[];
  branches: Branch[];
}

export interface PlanNode extends Exits {
  name: string;
  fn: NodeFunction | null;
  subgraph: SubgraphRunner | null;
  retryPolicy: RetryPolicy | undefined;
  metadata: Record<string, unknown> | undefined;
  /** Declared Command destinations (`addNode(..., { ends })`), for drawing and validation. */
  ends: string[] | undefined;
  /** `addNode(..., { defer: true })`: runs only once nothing else is left to run. */
  defer: boolean;
  /** The keys the node reads (an input schema's, or the state's when the graph has private channels); null for the whole state. */
  inputKeys: readonly string[] | null;
  /** `branch:to:<name>`: the trigger of a task started by an edge. */
  trigger: string;
  /** `[trigger]` and `["__pregel_pull", name]`, shared (frozen) by every task of this node started by an edge. */
  pullTriggers: string[];
  pullPath: ["__pregel_pull", string];
  /** `cachePolicy` (applied when the graph was compiled with a `cache`). */
  cachePolicy?: CachePolicy;
  /** `timeout`: each attempt of this node's tasks is bounded (NodeTimeoutError). */
  timeout?: TimeoutPolicy;
  /** The node that runs when this one failed for good (`errorHandler`); undefined for none. */
  errorHandler?: PlanNode;
  /** True for an error handler's own node (its failures are never handled). */
  isErrorHandler?: boolean;
}

export interface GraphSchemas {
  state: unknown;
  input?: unknown;
  output?: unknown;
  /** The context schema (contextSchema.ts). */
  context?: unknown;
}

export interface GraphPlan {
  nodes: Map<string, PlanNode>;
  start: Exits;
  channels: StateChannels;
  joins: JoinEdge[];
  checkpointer: BaseCheckpointSaver | undefined;
  /** `compile({ checkpointer: true })`: as a subgraph, keeps its state across calls in the parent's thread. */
  persistent: boolean;
  /** The builder's schemas as given (state, input, output, context), for the graph's JSON schemas and context checks. */
  schemas?: GraphSchemas;
  /** An entrypoint's one-node graph: its input goes straight to the function (no `__start__` task is traced). */
  functional?: boolean;
  /**
   * The low-level Pregel's graph: a new input is applied in the run's input checkpoint, which names the nodes
   * it triggers (LangGraph.js's Pregel has no __start__ task), instead of an input checkpoint plus a step.
   */
  directInput?: boolean;
  interruptBefore: ReadonlySet<string>;
  interruptAfter: ReadonlySet<string>;
  /** Nodes by name, in declaration order. */
  nodeList: PlanNode[];
  /** Some node has `defer: true`. */
  hasDeferred: boolean;
  /** `compile({ store })`: the long-term memory store nodes find as `config.store` (and subgraphs inherit). */
  store: object | undefined;
  /** An `input` schema's keys: the only keys a run's input writes (null: every channel). */
  inputKeys: readonly string[] | null;
  /** What invoke() returns (and a subgraph hands its parent): an output schema's keys, null for every channel. "values" shows every channel. */
  outputKeys: readonly string[] | null;
  /** The plain `Graph`: the hidden key carrying its value (traces show the bare value); it also has `directInput`. */
  plainValueKey?: string;
  /** `compile({ cache })`: where nodes with a `cachePolicy` keep their writes. */
  cache?: NodeCache;
  /** The graph's name (compile's `name`): the cache namespace of its nodes. */
  name?: string;
}
