// The builder: nodes, edges, conditional edges; compile() validates it (with LangGraph.js's error
// messages) and turns it into the plan a CompiledStateGraph runs.
import { AnnotationRoot, type StateDefinition, type StateType, type UpdateType } from "./annotation";
import { Branch, type BranchPath } from "./branch";
import { BinaryOperatorAggregate, LastValue, isChannel, type Channel } from "./channels/channel";
import * as zodCore from "zod/v4/core";
import { StateChannels } from "./channels/stateChannels";
import { isObjectPrototypeName, refuseObjectPrototypeKeys } from "./prototypeKeys";
import { StateSchema, type InvalidWrite } from "./stateSchema";
import { zodFieldChannel } from "./zodState";
import type { BaseCheckpointSaver } from "./checkpoint/base";
import type { Command } from "./command";
import { CompiledStateGraph } from "./compiledGraph";
import { END, PULL, START } from "./constants";
import { UnreachableNodeError } from "./errors";
import { noteTaskLookups } from "./pregel/currentTask";
import { CALLS_TASK_HELPER } from "./taskAccess";
import type { Exits, GraphPlan, GraphSchemas, JoinEdge, NodeFunction, PlanNode } from "./pregel/plan";
import { isContextSchema } from "./contextSchema";
import type { RetryPolicy } from "./retry";
import { coerceCachePolicy, type CachePolicy, type NodeCache } from "./nodeOptions/cache";
import { handlerNodeFunction, type NodeErrorHandler } from "./nodeOptions/errorHandler";
import { coerceTimeoutPolicy, type TimeoutPolicy } from "./nodeOptions/timeoutPolicy";
import type { NodeConfig } from "./runConfig";
import type { Send } from "./send";

export interface NodeOptions {
  /** Nodes a Command returned by this node may go to (for drawing and validation). */
  ends?: readonly string[];
  retryPolicy?: RetryPolicy;
  /** Merged into the metadata of the node's tasks (and of its "messages" chunks). */
  metadata?: Record<string, unknown>;
  /**
   * The keys this node reads (an Annotation.Root, StateSchema or zod object): the node gets the state
   * restricted to them, and keys the graph's state lacks become private channels of the graph.
   */
  input?: unknown;
  /** Run this node only once every other branch has finished (it waits while other tasks remain). */
  defer?: boolean;
  /** Bounds each attempt: milliseconds, or `{ runTimeout, idleTimeout, refreshOn }` (NodeTimeoutError). */
  timeout?: number | TimeoutPolicy;
  /** Reuse this node's writes for an input seen before (needs `compile({ cache })`); `true` is `{}`, `false` opts out of a default. */
  cachePolicy?: CachePolicy | boolean;
  /** Runs when this node failed for good (after its retries): its return value (an update or a Command) replaces the node's. */
  errorHandler?: NodeErrorHandler;
}

/** setNodeDefaults(): what every node lacking its own gets at compile(). */
export interface NodeDefaults {
  retryPolicy?: RetryPolicy;
  cachePolicy?: CachePolicy | boolean;
  timeout?: number | TimeoutPolicy;
  /** One shared handler (node `__default_error_handler__`) for every node without its own. */
  errorHandler?: NodeErrorHandler;
}

/** A node as the builder holds it (LangGraph.js's `builder.nodes[name]`): its own options, defaults not applied. */
export interface BuilderNodeSpec {
  retryPolicy: RetryPolicy | undefined;
  cachePolicy: CachePolicy | false | undefined;
  timeout: TimeoutPolicy | undefined;
  metadata: Record<string, unknown> | undefined;
  ends: readonly string[] | undefined;
  defer: boolean | undefined;
  errorHandlerNode: string | undefined;
}

/** The shared handler's node name when setNodeDefaults({ errorHandler }) set one. */
export const DEFAULT_ERROR_HANDLER_NODE = "__default_error_handler__";
/** Prefix of the node a node's own `errorHandler` runs as. */
export const ERROR_HANDLER_PREFIX = "__error_handler__";

export type NodeReturn<U> = U | Command<any, any> | Array<U | Command<any, any>> | null | undefined | void;
export type NodeAction<S, U> = ((state: S, config: NodeConfig) => NodeReturn<U> | Promise<NodeReturn<U>>) | RunnableNode;

/** An object run as a node through its `invoke(state, config)`: a LangChain Runnable, a prebuilt ToolNode. */
export interface RunnableNode {
  invoke(state: any, config?: any): unknown;
}

function isRunnableNode(value: unknown): value is RunnableNode {
  return value !== null && typeof value === "object" && typeof (value as RunnableNode).invoke === "function" && !(value instanceof CompiledStateGraph);
}

export interface CompileOptions {
  /**
   * Where checkpoints go. `true` on a graph used as a subgraph: it keeps its own state across calls
   * within the parent's thread (namespace `<node>`, no task id), checkpointed by the parent's saver.
   */
  checkpointer?: BaseCheckpointSaver | boolean;
  interruptBefore?: readonly string[];
  interruptAfter?: readonly string[];
  name?: string;
  /** A long-term memory store (e.g. LangGraph's InMemoryStore): nodes find it as `config.store`. */
  store?: object;
  /** Where nodes with a `cachePolicy` keep their writes (Rill's or LangGraph's InMemoryCache, any BaseCache). */
  cache?: NodeCache;
}

/** The legacy `{ channels }` form: `null` for a plain key, `{ value | reducer, default }` for a reducer. */
export interface StateGraphArgs {
  channels: Record<string, null | Channel | { value?: (a: any, b: any) => any; reducer?: (a: any, b: any) => any; default?: () => any }>;
}

type SchemaInput<SD extends StateDefinition> =
  | AnnotationRoot<SD>
  | SD
  | { stateSchema: AnnotationRoot<SD>; input?: AnnotationRoot<StateDefinition>; output?: AnnotationRoot<StateDefinition> }
  | StateGraphArgs
  | StateSchema<any>
  | { state: StateSchema<any> | AnnotationRoot<SD> }
  | ZodObjectLike;

/** A zod object schema (or anything with a `shape`): each key becomes a plain (LastValue) key. */
export interface ZodObjectLike {
  shape: Record<string, unknown>;
}

interface NodeEntry {
  name: string;
  fn: NodeFunction | null;
  subgraph: CompiledStateGraph | null;
  options: NodeOptions | undefined;
  /** `timeout` and `cachePolicy` as given, checked and normalized at addNode. */
  timeout: TimeoutPolicy | undefined;
  cachePolicy: CachePolicy | false | undefined;
}

function toDefinition(schema: unknown): Record<string, Channel> {
  if (AnnotationRoot.isInstance(schema)) return schema.spec as Record<string, Channel>;
  if (StateSchema.isInstance(schema)) return schema.getChannels();
  if (typeof schema === "object" && schema !== null) {
    const record = schema as Record<string, unknown>;
    if (AnnotationRoot.isInstance(record.stateSchema)) return record.stateSchema.spec as Record<string, Channel>;
    if (StateSchema.isInstance(record.stateSchema)) return record.stateSchema.getChannels();
    if (StateSchema.isInstance(record.state) || AnnotationRoot.isInstance(record.state)) return toDefinition(record.state);
    if (typeof record.channels === "object" && record.channels !== null) {
      // Null-prototype: a key named "__proto__" stays a key (and is refused by the constructor).
      const out: Record<string, Channel> = Object.create(null);
      for (const [key, spec] of Object.entries(record.channels as StateGraphArgs["channels"])) {
        if (isChannel(spec)) out[key] = spec;
        else if (spec && typeof (spec.reducer ?? spec.value) === "function") out[key] = new BinaryOperatorAggregate((spec.reducer ?? spec.value)!, spec.default);
        else out[key] = new LastValue();
      }
      return out;
    }
    // A zod object (or anything with a `shape`): every key a plain LastValue.
    const shape = (record.shape ?? (record._zod as { def?: { shape?: unknown } } | undefined)?.def?.shape) as Record<string, unknown> | undefined;
    if (shape && typeof shape === "object" && !Object.values(record).some(isChannel)) {
      // Each field validates its writes and gives its default, as a StateSchema field does.
      const out: Record<string, Channel> = Object.create(null);
      const invalid = zodObjectError(record);
      for (const [key, field] of Object.entries(shape)) out[key] = zodFieldChannel(key, field, invalid);
      return out;
    }
    const values = Object.values(record);
    if (values.length > 0 && values.every(isChannel)) return record as Record<string, Channel>;
  }
  throw new Error("Invalid StateGraph input: pass Annotation.Root({...}), a record of Annotation()s, { stateSchema }, or { channels }.");
}

/**
 * LangGraph.js's constructor forms: a schema; `{ state | stateSchema, input?, output? }`; `{ input, output }`
 * (the state is the input); or a schema plus `{ input, output }` as the second argument.
 */
function schemaInit(schema: unknown, options?: unknown): GraphSchemas {
  // A zod object (or Annotation.Root) as the second argument is the context schema, as in LangGraph.js.
  const context = isContextSchema(options) ? options : undefined;
  const opts = (context === undefined ? options : undefined) as { input?: unknown; output?: unknown; context?: unknown } | undefined;
  if (typeof schema === "object" && schema !== null && !AnnotationRoot.isInstance(schema) && !StateSchema.isInstance(schema)) {
    const record = schema as { state?: unknown; stateSchema?: unknown; input?: unknown; output?: unknown; context?: unknown };
    const isInit = !Object.values(record).some(isChannel) && (record.state !== undefined || record.stateSchema !== undefined || record.input !== undefined);
    if (isInit) {
      const state = record.state ?? record.stateSchema ?? record.input;
      return { state, input: record.input ?? opts?.input, output: record.output ?? opts?.output, context: context ?? record.context ?? opts?.context };
    }
  }
  return { state: schema, input: opts?.input, output: opts?.output, context: context ?? opts?.context };
}

/** A plain (last value) key: a LastValue, or `Annotation<T>` given uncalled. */
function isPlainValue(channel: Channel): boolean {
  return channel instanceof LastValue || typeof channel === "function";
}

function sameChannel(a: Channel, b: Channel): boolean {
  if (a === b) return true;
  return a instanceof BinaryOperatorAggregate && b instanceof BinaryOperatorAggregate && a.reducer === b.reducer;
}

/** A write failing a zod object state's field throws what zod's own parse of `{ [key]: value }` throws. */
function zodObjectError(object: Record<string, unknown>): InvalidWrite {
  return (key, value, issues) => {
    const partial = typeof object.partial === "function" ? (object.partial as () => { parse?: (v: unknown) => unknown; _zod?: unknown }).call(object) : undefined;
    // zod 4 schemas are parsed with zod's core parse, as LangGraph.js does (its error is a $ZodError).
    if (partial?._zod !== undefined) zodCore.parse(partial as unknown as zodCore.$ZodType, { [key]: value });
    partial?.parse?.({ [key]: value });
    throw new Error(`Validation failed for field "${key}": ${JSON.stringify(issues)}`);
  };
}

export class StateGraph<SD extends StateDefinition = StateDefinition, N extends string = typeof START> {
  private readonly definition: Record<string, Channel>;
  /** Per node: the keys of its `input` schema. */
  private readonly nodeInputKeys = new Map<string, readonly string[]>();
  private readonly nodeEntries = new Map<string, NodeEntry>();
  private readonly edges: Array<[string, string]> = [];
  private readonly waitingEdges: Array<[string[], string]> = [];
  private readonly branches = new Map<string, Branch[]>();

  /** The state schema's keys (what nodes read by default); the definition may hold more (input/output/private). */
  private readonly stateKeys: readonly string[];
  /** Keys an input is read from (an `input` schema's), null for every channel. */
  private readonly inputKeys: readonly string[] | null;
  /** An `output` schema's keys, null when there is none. */
  private readonly outputKeys: readonly string[] | null;

  /** The schemas as given (state, input, output, context): the graph's JSON schemas are made from them (zodJsonSchema.ts). */
  private readonly schemas: GraphSchemas;

  constructor(schema: SchemaInput<SD>, options?: { input?: unknown; output?: unknown; context?: unknown } | object) {
    const init = schemaInit(schema, options);
    this.schemas = init;
    this.definition = { ...toDefinition(init.state) };
    this.stateKeys = Object.keys(this.definition);
    refuseObjectPrototypeKeys(this.stateKeys, "StateGraph: the state schema");
    this.inputKeys = init.input === undefined ? null : this.addChannels(toDefinition(init.input), "StateGraph: the input schema");
    this.outputKeys = init.output === undefined ? null : this.addChannels(toDefinition(init.output), "StateGraph: the output schema");
  }

  /** Adds the channels of `extra` the state lacks (an input, output or node-input schema); returns its keys. */
  private addChannels(extra: Record<string, Channel>, where: string): string[] {
    refuseObjectPrototypeKeys(Object.keys(extra), where);
    for (const [key, channel] of Object.entries(extra)) {
      const existing = this.definition[key];
      if (existing === undefined) this.definition[key] = channel;
      // As LangGraph.js: a key declared again must be the same channel (a reducer key: the same reducer
      // function), unless the new declaration is a plain value.
      else if (!sameChannel(existing, channel) && !isPlainValue(channel)) throw new Error(`Channel "${key}" already exists with a different type.`);
    }
    return Object.keys(extra);
  }

  /**
   * The state schema when it is a zod object or a StateSchema, else undefined: LangGraph.js's internal name,
   * which tools reading a graph's schemas (LangGraph's API server) look up on `graph.builder`.
   */
  get _schemaRuntimeDefinition(): unknown {
    const state = this.schemas.state;
    return StateSchema.isInstance(state) || (isContextSchema(state) && !AnnotationRoot.isInstance(state)) ? state : undefined;
  }

  /** The state keys and how each one combines writes. */
  get channels(): Record<string, Channel> {
    return this.definition;
  }

  /**
   * `input` defaults to the state; a node only reached through `Send` may declare its argument's type
   * instead (`(arg: { subtopic: string }) => ...`).
   */
  addNode<K extends string, Input = StateType<SD>>(name: K, action: NodeAction<Input, UpdateType<SD>> | CompiledStateGraph<any, any, any>, options?: NodeOptions): StateGraph<SD, N | K>;
  /** Named after the function (`function refine_topic(state) {...}`); TypeScript types a function's name as string. */
  addNode<Input = StateType<SD>>(action: NodeAction<Input, UpdateType<SD>>, options?: NodeOptions): StateGraph<SD, N | string>;
  // `call?: never` keeps functions out of this overload (TypeScript tries overloads with the subtype relation first).
  addNode<K extends string>(nodes: Record<K, NodeAction<StateType<SD>, UpdateType<SD>> | CompiledStateGraph<any, any, any>> & { call?: never }): StateGraph<SD, N | K>;
  addNode<K extends string>(nodes: ReadonlyArray<[K, NodeAction<StateType<SD>, UpdateType<SD>> | CompiledStateGraph<any, any, any>, NodeOptions?]>): StateGraph<SD, N | K>;
  addNode(...args: unknown[]): StateGraph<SD, string> {
    const [first, second, third] = args;
    if (typeof first === "string") {
      this.addOne(first, second, third as NodeOptions | undefined);
    } else if (typeof first === "function") {
      const name = (first as { name?: string }).name;
      if (!name) throw new Error("addNode(fn) needs a named function; pass addNode(name, fn) for anonymous functions.");
      this.addOne(name, first, second as NodeOptions | undefined);
    } else if (Array.isArray(first)) {
      if (first.length === 0) throw new Error("No nodes provided in `addNode`");
      for (const [name, action, options] of first as Array<[string, unknown, NodeOptions?]>) this.addOne(name, action, options);
    } else if (first !== null && typeof first === "object") {
      const entries = Object.entries(first);
      if (entries.length === 0) throw new Error("No nodes provided in `addNode`");
      for (const [name, action] of entries) this.addOne(name, action, undefined);
    } else {
      throw new Error("addNode expects (name, fn | compiledGraph, options?) or a named function");
    }
    return this as StateGraph<SD, string>;
  }

  private addOne(name: string, action: unknown, options: NodeOptions | undefined): void {
    if (isObjectPrototypeName(name)) {
      throw new Error(`A node cannot be named "${name}", a name of Object.prototype (LangGraph.js refuses it as a state attribute name): rename the node.`);
    }
    if (name in this.definition) {
      throw new Error(`${name} is already being used as a state attribute (a.k.a. a channel), cannot also be used as a node name.`);
    }
    for (const reserved of ["|", ":"]) {
      if (name.includes(reserved)) throw new Error(`"${reserved}" is a reserved character and is not allowed in node names.`);
    }
    if (this.nodeEntries.has(name)) throw new Error(`Node \`${name}\` already present.`);
    if (name === END || name === START) throw new Error(`Node \`${name}\` is reserved.`);
    const where = `Node "${name}": `;
    const timeout = coerceTimeoutPolicy(options?.timeout, where);
    const cachePolicy = coerceCachePolicy(options?.cachePolicy, where);
    if (options?.errorHandler !== undefined) {
      if (typeof options.errorHandler !== "function") throw new Error(`${where}errorHandler must be a function (state, nodeError, config) => update`);
      if (this.nodeEntries.has(ERROR_HANDLER_PREFIX + name)) {
        throw new Error(`Cannot add error handler to node \`${name}\`: the reserved name \`${ERROR_HANDLER_PREFIX}${name}\` is already in use.`);
      }
    }
    if (options?.input !== undefined) this.nodeInputKeys.set(name, this.addChannels(toDefinition(options.input), `StateGraph: node "${name}"'s input schema`));
    const entry = { name, options, timeout, cachePolicy };
    if (action instanceof CompiledStateGraph) this.nodeEntries.set(name, { ...entry, fn: null, subgraph: action });
    else if (typeof action === "function") {
      if (CALLS_TASK_HELPER.test(Function.prototype.toString.call(action))) noteTaskLookups();
      this.nodeEntries.set(name, { ...entry, fn: action as NodeFunction, subgraph: null });
    }
    else if (isRunnableNode(action)) this.nodeEntries.set(name, { ...entry, fn: ((state: unknown, config: unknown) => action.invoke(state, config)) as NodeFunction, subgraph: null });
    else throw new Error(`Node \`${name}\` must be a function, a compiled graph or a runnable (an object with invoke()).`);

  }

  /**
   * Options every node lacking its own gets at compile() (call before or after addNode; later calls
   * override per field). retryPolicy and timeout also apply to error handlers' nodes; cachePolicy and
   * errorHandler only to regular nodes. Subgraphs keep their own.
   */
  setNodeDefaults(defaults: NodeDefaults): this {
    const where = "setNodeDefaults: ";
    if (defaults.retryPolicy !== undefined) this.nodeDefaults.retryPolicy = defaults.retryPolicy;
    if (defaults.cachePolicy !== undefined) this.nodeDefaults.cachePolicy = coerceCachePolicy(defaults.cachePolicy, where) || undefined;
    if (defaults.timeout !== undefined) this.nodeDefaults.timeout = coerceTimeoutPolicy(defaults.timeout, where);
    if (defaults.errorHandler !== undefined) {
      if (typeof defaults.errorHandler !== "function") throw new Error(`${where}errorHandler must be a function (state, nodeError, config) => update`);
      this.nodeDefaults.errorHandler = defaults.errorHandler;
    }
    return this;
  }

  private readonly nodeDefaults: { retryPolicy?: RetryPolicy; cachePolicy?: CachePolicy; timeout?: TimeoutPolicy; errorHandler?: NodeErrorHandler } = {};

  /** The nodes as added (LangGraph.js's `builder.nodes`): each one's own options, without setNodeDefaults'. */
  get nodes(): Record<string, BuilderNodeSpec> {
    const out: Record<string, BuilderNodeSpec> = {};
    for (const entry of this.nodeEntries.values()) {
      out[entry.name] = {
        retryPolicy: entry.options?.retryPolicy,
        cachePolicy: entry.cachePolicy,
        timeout: entry.timeout,
        metadata: entry.options?.metadata,
        ends: entry.options?.ends,
        defer: entry.options?.defer,
        errorHandlerNode: entry.options?.errorHandler !== undefined ? ERROR_HANDLER_PREFIX + entry.name : undefined,
      };
    }
    return out;
  }

  addEdge(start: N | readonly N[] | typeof START, end: N | typeof END): this {
    if (Array.isArray(start)) {
      for (const s of start) {
        if (s === END) throw new Error("END cannot be a start node");
        if (s !== START && !this.nodeEntries.has(s)) throw new Error(`Need to add a node named "${s}" first`);
      }
      if (end === END) throw new Error("END cannot be an end node");
      if (!this.nodeEntries.has(end)) throw new Error(`Need to add a node named "${end}" first`);
      this.waitingEdges.push([[...start], end]);
      return this;
    }
    const source = start as string;
    if (source === END) throw new Error("END cannot be a start node");
    if (end === START) throw new Error("START cannot be an end node");
    this.edges.push([source, end]);
    return this;
  }

  addConditionalEdges(
    source: N | typeof START,
    path: (state: StateType<SD>, config: NodeConfig) => string | Send | Array<string | Send> | Promise<string | Send | Array<string | Send>>,
    pathMap?: Record<string, string> | readonly string[],
  ): this;
  addConditionalEdges(options: { source: N | typeof START; path: BranchPath; pathMap?: Record<string, string> | readonly string[] }): this;
  addConditionalEdges(source: unknown, path?: unknown, pathMap?: Record<string, string> | readonly string[]): this {
    const options =
      typeof source === "object" && source !== null
        ? (source as { source: string; path: BranchPath; pathMap?: Record<string, string> | readonly string[] })
        : { source: source as string, path: path as BranchPath, pathMap };
    if (typeof options.path !== "function") throw new Error("addConditionalEdges needs a path function");
    const list = this.branches.get(options.source) ?? [];
    list.push(new Branch(options.path, options.pathMap));
    this.branches.set(options.source, list);
    return this;
  }

  /** Adds the nodes and chains them with edges, in order. */
  addSequence<K extends string>(
    nodes: ReadonlyArray<NodeAction<StateType<SD>, UpdateType<SD>> | [K, NodeAction<StateType<SD>, UpdateType<SD>> | CompiledStateGraph<any, any, any>, NodeOptions?]> | Record<K, NodeAction<StateType<SD>, UpdateType<SD>>>,
  ): StateGraph<SD, N | K> {
    const list: Array<[string, unknown, NodeOptions?]> = Array.isArray(nodes)
      ? nodes.map((n) => (typeof n === "function" ? [(n as { name: string }).name, n] : (n as [string, unknown, NodeOptions?])))
      : Object.entries(nodes);
    if (list.length === 0) throw new Error("Sequence requires at least one node.");
    let previous: string | undefined;
    for (const [name, action, options] of list) {
      if (this.nodeEntries.has(name)) throw new Error(`Node names must be unique: node with the name "${name}" already exists.`);
      this.addOne(name, action, options);
      if (previous !== undefined) this.edges.push([previous, name]);
      previous = name;
    }
    return this as unknown as StateGraph<SD, N | K>;
  }

  setEntryPoint(node: N): this {
    return this.addEdge(START, node);
  }

  setFinishPoint(node: N): this {
    return this.addEdge(node, END);
  }

  compile(options: CompileOptions = {}): CompiledStateGraph<StateType<SD>, UpdateType<SD>, Exclude<N, typeof START>> {
    const interruptBefore = options.interruptBefore ?? [];
    const interruptAfter = options.interruptAfter ?? [];
    if (this.nodeDefaults.errorHandler !== undefined && this.nodeEntries.has(DEFAULT_ERROR_HANDLER_NODE)) {
      throw new Error(`Cannot apply a default error handler: the reserved node name \`${DEFAULT_ERROR_HANDLER_NODE}\` is already in use; rename that node.`);
    }
    const cache = options.cache;
    if (cache !== undefined && (cache === null || typeof (cache as NodeCache).get !== "function" || typeof (cache as NodeCache).set !== "function")) {
      throw new Error("compile({ cache }): cache must have get(keys) and set(pairs) (LangGraph's BaseCache, e.g. InMemoryCache)");
    }
    this.validate([...interruptBefore, ...interruptAfter]);
    const plan = this.buildPlan(options);
    const graph = new CompiledStateGraph<StateType<SD>, UpdateType<SD>, Exclude<N, typeof START>>(plan, this.drawing(interruptBefore, interruptAfter), options.name ?? "LangGraph");
    graph.builder = this;
    return graph;
  }

  /** LangGraph.js's checks and messages. */
  private validate(interrupts: readonly string[]): void {
    const sources = new Set<string>([...this.edges.map(([s]) => s), ...this.branches.keys()]);
    for (const [starts] of this.waitingEdges) for (const s of starts) sources.add(s);
    for (const source of sources) {
      if (source !== START && !this.nodeEntries.has(source)) throw new Error(`Found edge starting at unknown node \`${source}\``);
    }
    const targets = new Set<string>(this.edges.map(([, t]) => t));
    for (const [, end] of this.waitingEdges) targets.add(end);
    for (const [start, branches] of this.branches) {
      for (const branch of branches) {
        const ends = branch.ends;
        if (ends) for (const e of ends) targets.add(e);
        else {
          targets.add(END);
          for (const name of this.nodeEntries.keys()) if (name !== start) targets.add(name);
        }
      }
    }
    for (const node of this.nodeEntries.values()) for (const e of node.options?.ends ?? []) targets.add(e);
    // An error handler may go anywhere with a Command (as a conditional edge without a path map).
    const handlers = this.handlerNames();
    if (handlers.size > 0) for (const name of this.nodeEntries.keys()) targets.add(name);
    for (const name of this.nodeEntries.keys()) {
      if (!targets.has(name)) {
        throw new UnreachableNodeError(
          [
            `Node \`${name}\` is not reachable.`,
            "",
            "If you are returning Command objects from your node,",
            'make sure you are passing names of potential destination nodes as an "ends" array',
            'into ".addNode(..., { ends: ["node1", "node2"] })".',
          ].join("\n"),
          { lc_error_code: "UNREACHABLE_NODE" },
        );
      }
    }
    for (const target of targets) {
      if (target !== END && !this.nodeEntries.has(target)) throw new Error(`Found edge ending at unknown node \`${target}\``);
    }
    for (const name of interrupts) if (!this.nodeEntries.has(name) && !handlers.has(name)) throw new Error(`Interrupt node \`${name}\` is not present`);
  }

  /** The error handlers' node names compile() will add. */
  private handlerNames(): Set<string> {
    const names = new Set<string>();
    for (const entry of this.nodeEntries.values()) if (entry.options?.errorHandler !== undefined) names.add(ERROR_HANDLER_PREFIX + entry.name);
    if (this.nodeDefaults.errorHandler !== undefined) names.add(DEFAULT_ERROR_HANDLER_NODE);
    return names;
  }

  private buildPlan(options: CompileOptions): GraphPlan {
    const nodes = new Map<string, PlanNode>();
    // Channels beyond the state's (input/output/private): nodes without an input schema read the state's keys only.
    const hasPrivateKeys = Object.keys(this.definition).length > this.stateKeys.length;
    const defaults = this.nodeDefaults;
    const defaultHandler = defaults.errorHandler !== undefined ? handlerPlanNode(DEFAULT_ERROR_HANDLER_NODE, defaults.errorHandler, defaults) : undefined;
    for (const entry of this.nodeEntries.values()) {
      const ownHandler = entry.options?.errorHandler;
      nodes.set(entry.name, {
        name: entry.name,
        fn: withNodeThis(entry.fn, entry.name),
        subgraph: entry.subgraph,
        retryPolicy: entry.options?.retryPolicy ?? defaults.retryPolicy,
        cachePolicy: entry.cachePolicy === false ? undefined : (entry.cachePolicy ?? defaults.cachePolicy),
        timeout: entry.timeout ?? defaults.timeout,
        errorHandler: ownHandler !== undefined ? handlerPlanNode(ERROR_HANDLER_PREFIX + entry.name, ownHandler, defaults) : defaultHandler,
        isErrorHandler: false,
        metadata: entry.options?.metadata,
        ends: entry.options?.ends ? [...entry.options.ends] : undefined,
        defer: entry.options?.defer === true,
        inputKeys: this.nodeInputKeys.get(entry.name) ?? (hasPrivateKeys ? this.stateKeys : null),
        trigger: `branch:to:${entry.name}`,
        pullTriggers: Object.freeze([`branch:to:${entry.name}`]) as unknown as string[],
        pullPath: Object.freeze([PULL, entry.name]) as unknown as ["__pregel_pull", string],
        edges: [],
        joins: [],
        branches: this.branches.get(entry.name) ?? [],
      });
    }
    const start: Exits = { edges: [], joins: [], branches: this.branches.get(START) ?? [] };
    const exitsOf = (name: string): Exits => (name === START ? start : nodes.get(name)!);
    for (const [source, target] of this.edges) {
      if (target === END) continue;
      const exits = exitsOf(source);
      const node = nodes.get(target)!;
      if (!exits.edges.includes(node)) exits.edges.push(node);
    }
    const joins: JoinEdge[] = [];
    for (const [starts, end] of this.waitingEdges) {
      const channel = `join:${starts.join("+")}:${end}`;
      const join: JoinEdge = { channel, triggers: Object.freeze([channel]) as unknown as string[], starts, end };
      joins.push(join);
      for (const s of starts) exitsOf(s).joins.push(join);
    }
    return {
      nodes,
      nodeList: [...nodes.values()],
      start,
      channels: new StateChannels(this.definition),
      joins,
      checkpointer: typeof options.checkpointer === "object" ? options.checkpointer : undefined,
      persistent: options.checkpointer === true,
      schemas: this.schemas,
      interruptBefore: new Set(options.interruptBefore ?? []),
      interruptAfter: new Set(options.interruptAfter ?? []),
      store: options.store,
      hasDeferred: [...this.nodeEntries.values()].some((n) => n.options?.defer === true),
      // Without an input schema a graph with private channels reads its input from the state's keys.
      inputKeys: this.inputKeys ?? (hasPrivateKeys ? this.stateKeys : null),
      // Without an output schema a graph with private channels returns the state's keys.
      outputKeys: this.outputKeys ?? (hasPrivateKeys ? this.stateKeys : null),
      cache: options.cache,
      name: options.name ?? "LangGraph",
    };
  }

  /** The drawable structure getGraph() returns. */
  private drawing(interruptBefore: readonly string[], interruptAfter: readonly string[]): DrawableGraph {
    const nodeIds = [START, ...this.nodeEntries.keys()];
    const edges: DrawableEdge[] = [];
    const seen = new Set<string>();
    const add = (source: string, target: string, conditional: boolean) => {
      const key = `${source}\u0000${target}\u0000${conditional}`;
      if (seen.has(key)) return;
      seen.add(key);
      edges.push({ source, target, conditional });
    };
    const sorted = [...this.edges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [s, t] of sorted) add(s, t, false);
    for (const [starts, end] of this.waitingEdges) for (const s of starts) add(s, end, false);
    for (const [source, branches] of this.branches) {
      for (const branch of branches) {
        const ends = branch.ends ?? [...[...this.nodeEntries.keys()].filter((n) => n !== source), END];
        for (const e of ends) add(source, e, true);
      }
    }
    for (const node of this.nodeEntries.values()) for (const e of node.options?.ends ?? []) add(node.name, e, true);
    // A node reached by a plain edge and with nowhere to go ends the run: draw that edge to __end__, as
    // LangGraph.js does (targets of conditional edges only are left as they are).
    const hasExit = new Set(edges.map((e) => e.source));
    const plainTargets = [...new Set(edges.filter((e) => !e.conditional && e.target !== END).map((e) => e.target))].sort();
    for (const name of plainTargets) if (!hasExit.has(name) && this.nodeEntries.has(name)) add(name, END, false);
    if (edges.some((e) => e.target === END)) nodeIds.push(END);
    const nodes = nodeIds.map((id) => drawableNode(id, this.nodeEntries.get(id)?.options?.metadata, interruptBefore.includes(id), interruptAfter.includes(id)));
    return { nodes, edges };
  }
}

/** A drawn node; its metadata (LangGraph.js shows it in the node's box) holds `__interrupt` when the graph stops around it. */
function drawableNode(id: string, metadata: Record<string, unknown> | undefined, before: boolean, after: boolean): DrawableNode {
  const interrupt = before && after ? "before,after" : before ? "before" : after ? "after" : undefined;
  if (metadata === undefined && interrupt === undefined) return { id };
  return { id, metadata: interrupt === undefined ? { ...metadata } : { ...metadata, __interrupt: interrupt } };
}

/** The node an error handler runs as: no edges (it routes with a Command), the defaults' retry and timeout, never cached. */
function handlerPlanNode(name: string, handler: NodeErrorHandler, defaults: { retryPolicy?: RetryPolicy; timeout?: TimeoutPolicy }): PlanNode {
  return {
    name,
    fn: handlerNodeFunction(handler),
    subgraph: null,
    retryPolicy: defaults.retryPolicy,
    metadata: undefined,
    ends: undefined,
    defer: false,
    inputKeys: null,
    trigger: `branch:to:${name}`,
    pullTriggers: Object.freeze([`branch:to:${name}`]) as unknown as string[],
    pullPath: Object.freeze([PULL, name]) as unknown as ["__pregel_pull", string],
    edges: [],
    joins: [],
    branches: [],
    cachePolicy: undefined,
    timeout: defaults.timeout,
    errorHandler: undefined,
    isErrorHandler: true,
  };
}

export interface DrawableEdge {
  source: string;
  target: string;
  conditional: boolean;
}

export interface DrawableNode {
  /** The node's name; a subgraph's nodes drawn inside it (getGraph({ xray })) are `subgraph:node`. */
  id: string;
  /** The node's metadata (addNode's `metadata`, `__interrupt`), when it has some. */
  metadata?: Record<string, unknown>;
}

/** What getGraph() returns: enough to draw the graph (nodes incl. __start__/__end__, edges). */
export interface DrawableGraph {
  nodes: DrawableNode[];
  edges: DrawableEdge[];
}

/**
 * A node function called with a `this` naming the node, as LangGraph.js calls node functions on their runnable:
 * an unbound method passed as a node (`new Node("a").call`, reading `this.name`) works. Only a function whose
 * source mentions `this` is bound (a plain call costs less).
 */
function withNodeThis(fn: NodeFunction | null, name: string): NodeFunction | null {
  if (fn === null || !Function.prototype.toString.call(fn).includes("this")) return fn;
  return fn.bind({ name }) as NodeFunction;
}
