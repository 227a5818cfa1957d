// Planning a step: which tasks run next. Edges and routes (conditional edges, Command gotos) of the tasks
// that just finished become pull tasks (one per node, sorted by name), Sends become push tasks (in order),
// waiting edges (`addEdge([a, b], c)`) fire once all their starts finished, and `defer: true` nodes wait
// until nothing else is left. Barriers (join and deferred) live in the loop and are saved with checkpoints.
import { coerceTimeoutPolicy } from "../nodeOptions/timeoutPolicy";
import { END, PUSH } from "../constants";
import { InvalidUpdateError } from "../errors";
import { isSend, type Send } from "../send";
import type { PregelLoop } from "./loop";
import type { Exits } from "./plan";
import { Task } from "./task";

/** Barrier key of a `defer: true` node waiting to run (saved with the checkpoint like join barriers). */
export const DEFERRED = "defer:";

export const PUSH_TRIGGERS: string[] = Object.freeze([PUSH]) as unknown as string[];

/** What planNext reads of a finished task (or of START, or of updateState's node). */
export interface RouteSource {
  readonly name: string;
  readonly node: Exits;
  readonly routes: ReadonlyArray<string | Send>;
}

/** Destinations collected outside a task (START's conditional edges, updateState). */
export class RouteList {
  readonly routes: Array<string | Send> = [];
  addRoute(dest: string | Send): void {
    this.routes.push(dest);
  }
}

/** Pull tasks by node name, then Send tasks by index (LangGraph.js's order of applying writes). */
export function sortForApply(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => {
    if (a.isPush !== b.isPush) return a.isPush ? 1 : -1;
    if (a.isPush) return (a.path[1] as number) - (b.path[1] as number);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** Builds the next step's tasks: Sends first (in order), then triggered nodes sorted by name. */
export function planNextTasks(loop: PregelLoop, barriers: Map<string, Set<string>>, sources: ReadonlyArray<RouteSource>): Task[] {
  // Fast path: one task, one static edge, nothing dynamic (chains and loops).
  if (sources.length === 1 && loop.plan.joins.length === 0) {
    const { node: exits, routes } = sources[0];
    if (routes.length === 0 && exits.joins.length === 0) {
      if (exits.edges.length === 0) return [];
      if (exits.edges.length === 1 && !exits.edges[0].defer) {
        const target = exits.edges[0];
        return [new Task(loop, null, target, target.pullPath, target.pullTriggers, undefined, false, loop.step + 1)];
      }
    }
  }
  const nodes = loop.plan.nodes;
  let pulls: Map<string, string[]> | null = null;
  let pushes: Send[] | null = null;
  for (let s = 0; s < sources.length; s++) {
    const { name, node: exits, routes } = sources[s];
    const edges = exits.edges;
    for (let i = 0; i < edges.length; i++) {
      const target = edges[i];
      (pulls ??= new Map()).set(target.name, target.pullTriggers);
    }
    for (const join of exits.joins) {
      let seen = barriers.get(join.channel);
      if (!seen) barriers.set(join.channel, (seen = new Set()));
      seen.add(name);
    }
    for (let i = 0; i < routes.length; i++) {
      const dest = routes[i];
      if (typeof dest === "string") {
        if (dest === END) continue;
        const target = nodes.get(dest);
        // LangGraph.js drops a route to a node this graph does not have (e.g. a Command meant for another graph).
        if (!target) continue;
        (pulls ??= new Map()).set(target.name, target.pullTriggers);
      } else if (isSend(dest)) {
        if (!nodes.has(dest.node)) throw new InvalidUpdateError(`Invalid node name "${dest.node}" in Send packet`);
        (pushes ??= []).push(dest);
      }
    }
  }
  for (const join of loop.plan.joins) {
    const seen = barriers.get(join.channel);
    if (seen === undefined || seen.size < join.starts.length) continue;
    if (!join.starts.every((s) => seen.has(s))) continue;
    barriers.delete(join.channel);
    pulls ??= new Map();
    if (!pulls.has(join.end)) pulls.set(join.end, join.triggers);
  }
  if (pulls !== null && loop.plan.hasDeferred) {
    // `defer: true` nodes wait (as a saved barrier) until nothing else is left to run.
    for (const [name, triggers] of pulls) {
      if (!nodes.get(name)!.defer) continue;
      const key = DEFERRED + name;
      const waiting = barriers.get(key);
      if (waiting) for (const t of triggers) waiting.add(t);
      else barriers.set(key, new Set(triggers));
      pulls.delete(name);
    }
  }
  const step = loop.step + 1;
  const out: Task[] = new Array((pushes?.length ?? 0) + (pulls?.size ?? 0));
  let at = 0;
  if (pushes !== null) {
    for (let i = 0; i < pushes.length; i++) {
      const send = pushes[i];
      const task = (out[at++] = new Task(loop, null, nodes.get(send.node)!, [PUSH, i, false], PUSH_TRIGGERS, send.args, true, step));
      if (send.options?.timeout !== undefined) task.timeout = coerceTimeoutPolicy(send.options.timeout, `Send to "${send.node}": `);
    }
  }
  if (pulls !== null) {
    const names = pulls.size === 1 ? [...pulls.keys()] : [...pulls.keys()].sort();
    for (const name of names) {
      const node = nodes.get(name)!;
      out[at++] = new Task(loop, null, node, node.pullPath, pulls.get(name)!, undefined, false, step);
    }
  }
  return out;
}

/** The deferred nodes waiting for the graph to run out of other work, as this step's tasks (by name). */
export function releaseDeferredTasks(loop: PregelLoop, barriers: Map<string, Set<string>>): Task[] {
  const names: string[] = [];
  for (const key of barriers.keys()) if (key.startsWith(DEFERRED)) names.push(key.slice(DEFERRED.length));
  names.sort();
  const out: Task[] = [];
  for (const name of names) {
    const node = loop.plan.nodes.get(name)!;
    const triggers = [...barriers.get(DEFERRED + name)!];
    barriers.delete(DEFERRED + name);
    out.push(new Task(loop, null, node, node.pullPath, triggers, undefined, false, loop.step));
  }
  return out;
}

/** A resuming Command's gotos: their nodes (and Sends) run in the resumed step, beside its tasks. */
export function addGotoTasks(loop: PregelLoop, goto: ReadonlyArray<string | Send>): void {
  let sends = 0;
  for (const dest of goto) {
    if (typeof dest === "string") {
      const node = loop.plan.nodes.get(dest);
      if (node === undefined || loop.tasks.some((t) => !t.isPush && t.name === dest)) continue;
      loop.tasks.push(new Task(loop, null, node, node.pullPath, node.pullTriggers, undefined, false, loop.step));
    } else if (isSend(dest)) {
      const node = loop.plan.nodes.get(dest.node);
      if (node === undefined) throw new InvalidUpdateError(`Invalid node name "${dest.node}" in Send packet`);
      const task = new Task(loop, null, node, [PUSH, sends++, false], PUSH_TRIGGERS, dest.args, true, loop.step);
      if (dest.options?.timeout !== undefined) task.timeout = coerceTimeoutPolicy(dest.options.timeout, `Send to "${dest.node}": `);
      loop.tasks.push(task);
    }
  }
}
