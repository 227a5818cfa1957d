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

/**
 * A checkpointer whose writes are held until the process gets SIGTERM, then written `delayMs` later, in
 * order (a database slow to commit just as the process shuts down): at the shutdown, none of the run's
 * checkpoints is committed yet; they are once its engine has stopped. Reads go to the real saver.
 */
export function savingAfterSigterm(saver: BaseCheckpointSaver, delayMs: number): BaseCheckpointSaver {
  let releaseHeld!: () => void;
  const sigterm = new Promise<void>((resolve) => (releaseHeld = resolve));
  process.once("SIGTERM", () => setTimeout(releaseHeld, delayMs));
  let chain: Promise<unknown> = sigterm;
  const held =
    (write: (...args: unknown[]) => Promise<unknown>) =>
    (...args: unknown[]): Promise<unknown> => {
      const written = chain.then(() => write(...args));
      chain = written.catch(() => undefined);
      return written;
    };
  return new Proxy(saver, {
    get(target, property, receiver) {
      if (property === "put" || property === "putWrites") return held((Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>).bind(target));
      if (property === "queuedWrites") return undefined;
      if (property === "ordersWrites") return false;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The saver as the test server's environment asks: never saving with CHECKPOINTS_NEVER_SAVED=1; saving
 * only after SIGTERM, CHECKPOINTS_SAVED_AFTER_SIGTERM_MS later, with that variable set.
 */
export function saverFromEnv(saver: BaseCheckpointSaver): BaseCheckpointSaver {
  if (process.env.CHECKPOINTS_NEVER_SAVED === "1") return neverSaving(saver);
  const afterSigterm = process.env.CHECKPOINTS_SAVED_AFTER_SIGTERM_MS;
  return afterSigterm !== undefined ? savingAfterSigterm(saver, Number(afterSigterm)) : saver;
}
