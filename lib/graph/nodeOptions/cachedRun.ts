// A task of a node with a `cachePolicy` (graph compiled with `{ cache }`): looks its input up under
// `[CACHE_NS_WRITES, graph name, node]`; a hit reuses the stored writes and routes (the node does not
// run, its update is streamed as cached), a miss runs the node and stores what it wrote. Stores are
// awaited before the run ends.
import type { Send } from "../send";
import type { Write } from "../channels/stateChannels";
import type { PregelLoop } from "../pregel/loop";
import type { Task } from "../pregel/task";
import { executeAttempt } from "../pregel/execute";
import { CACHE_NS_WRITES, cacheKeyOf, type CacheFullKey, type CachePolicy, type NodeCache } from "./cache";

interface CachedWrites {
  writes: Write[];
  routes: Array<string | Send>;
}

export function runCached(loop: PregelLoop, task: Task, policy: CachePolicy, cache: NodeCache): Promise<void> | undefined {
  if (loop.run.sync) {
    task.error = new Error(`Node "${task.name}" has a cachePolicy and the graph a cache, which is asynchronous; streamSync cannot use it. Use stream() instead.`);
    loop.taskDone(task, undefined);
    return undefined;
  }
  const key: CacheFullKey = [[CACHE_NS_WRITES, loop.plan.name ?? "LangGraph", task.name], cacheKeyOf(policy, task.input)];
  return cache.get([key]).then(
    (found) => {
      const hit = found.find((entry) => entry.key[1] === key[1])?.value as CachedWrites | undefined;
      if (hit !== undefined && Array.isArray(hit.writes)) {
        task.writes = hit.writes;
        for (const route of hit.routes ?? []) task.addRoute(route);
        task.finished = true;
        task.cached = true;
        loop.taskDone(task, undefined);
        return undefined;
      }
      return runAndStore(loop, task, policy, cache, key);
    },
    (error: unknown) => {
      task.error = error;
      loop.taskDone(task, undefined);
    },
  );
}

function runAndStore(loop: PregelLoop, task: Task, policy: CachePolicy, cache: NodeCache, key: CacheFullKey): Promise<void> | undefined {
  const store = (): void => {
    if (!task.finished) return;
    loop.keepPending(cache.set([{ key, value: { writes: task.writes, routes: task.routes } satisfies CachedWrites, ttl: policy.ttl }]));
  };
  const running = executeAttempt(loop, task);
  if (running === undefined) {
    store();
    return undefined;
  }
  return running.then(store);
}
