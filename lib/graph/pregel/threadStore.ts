// A run's view of its checkpointer: one thread and namespace. Synchronous savers (MemorySaver) are
// called synchronously, so checkpointing costs no promise per step and works under streamSync; other
// savers are written in the background in order, and the run awaits them before it ends.
import {
  isSyncCheckpointSaver,
  type BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointConfig,
  type CheckpointMetadata,
  type CheckpointTuple,
} from "../checkpoint/base";

export class ThreadStore {
  private chain: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    readonly saver: BaseCheckpointSaver,
    readonly threadId: string,
    readonly checkpointNs: string,
    private readonly sync: boolean,
  ) {
    if (sync && !isSyncCheckpointSaver(saver)) {
      throw new Error("streamSync with a checkpointer needs a synchronous checkpointer such as MemorySaver; use stream() instead.");
    }
  }

  configFor(checkpointId?: string): CheckpointConfig {
    const configurable: CheckpointConfig["configurable"] = { thread_id: this.threadId, checkpoint_ns: this.checkpointNs };
    if (checkpointId !== undefined) configurable.checkpoint_id = checkpointId;
    return { configurable };
  }

  load(checkpointId?: string): CheckpointTuple | undefined | Promise<CheckpointTuple | undefined> {
    const config = this.configFor(checkpointId);
    if (isSyncCheckpointSaver(this.saver)) return this.saver.getTupleSync(config);
    return this.saver.getTuple(config);
  }

  /** Stores `checkpoint` as a child of `parent`; returns the config naming it. */
  put(parent: CheckpointConfig | undefined, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig {
    const config = parent ?? this.configFor();
    const saver = this.saver;
    if (isSyncCheckpointSaver(saver)) saver.putSync(config, checkpoint, metadata);
    else this.enqueue(() => saver.put(config, checkpoint, metadata));
    return this.configFor(checkpoint.id);
  }

  putWrites(config: CheckpointConfig, writes: Array<[string, unknown]>, taskId: string): void {
    const saver = this.saver;
    if (isSyncCheckpointSaver(saver)) saver.putWritesSync(config, writes, taskId);
    else this.enqueue(() => saver.putWrites(config, writes, taskId));
  }

  /** Resolves when every write reached the saver; rejects with the first failed write. */
  flush(): Promise<void> | undefined {
    if (this.failure) throw this.failure.error;
    if (this.chain === null) return undefined;
    return this.chain.then(() => {
      if (this.failure) throw this.failure.error;
    });
  }

  private enqueue(write: () => Promise<unknown>): void {
    const run = async () => {
      try {
        await write();
      } catch (error) {
        this.failure ??= { error };
      }
    };
    this.chain = this.chain === null ? run() : this.chain.then(run);
  }
}
