// A checkpointer whose writes never complete (put and putWrites answer promises that never settle): a
// run on it executes its steps but saves no checkpoint, so a test that kills its process does so,
// deterministically, before the run's first checkpoint. The restart and deployment test servers use it
// when CHECKPOINTS_NEVER_SAVED=1; reads go to the real saver (another process's checkpoints are seen).
import type { BaseCheckpointSaver } from "../../../lib/graph/checkpoint/base";

const never = () => new Promise<never>(() => undefined);

export function neverSaving(saver: BaseCheckpointSaver): BaseCheckpointSaver {
  return new Proxy(saver, {
    get(target, property, receiver) {
      if (property === "put" || property === "putWrites") return never;
      // The engine's fast paths for Rill's durable savers would write around put/putWrites.
      if (property === "queuedWrites") return undefined;
      if (property === "ordersWrites") return false;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The saver as the test server's environment asks: never saving with CHECKPOINTS_NEVER_SAVED=1. */
export function saverFromEnv(saver: BaseCheckpointSaver): BaseCheckpointSaver {
  return process.env.CHECKPOINTS_NEVER_SAVED === "1" ? neverSaving(saver) : saver;
}
