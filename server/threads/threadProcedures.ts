// The tRPC procedures of threads: create, get, list, history, update, delete. Runs on a thread start
// through runs.stream / runs.streamBatches with `threadId` (server/router.ts).
import { checkInputSize } from "../procedureInputs";
import { asTRPCError, procedure, t } from "../trpc";
import {
  createThreadInput,
  DEFAULT_HISTORY,
  DEFAULT_THREAD_LIST,
  deleteThreadInput,
  getThreadInput,
  listThreadsInput,
  threadHistoryInput,
  updateThreadInput,
} from "./threadInputs";
import type { ThreadCheckpoint, ThreadInfo, ThreadService, ThreadState } from "./threadService";

async function orThrow<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asTRPCError(error);
  }
}

export function threadProcedures(threads: ThreadService, maxInputBytes: number) {
  return t.router({
    create: procedure.input(createThreadInput).mutation(({ input, ctx }): Promise<ThreadInfo> => {
      checkInputSize(input.metadata, "metadata", maxInputBytes);
      return orThrow(() => threads.create(input, ctx.identity));
    }),
    get: procedure.input(getThreadInput).query(({ input, ctx }): Promise<ThreadState> => orThrow(() => threads.get(input.threadId, ctx.identity))),
    list: procedure
      .input(listThreadsInput)
      .query(({ input, ctx }): Promise<ThreadInfo[]> =>
        orThrow(() => threads.list({ graphId: input?.graphId, status: input?.status, limit: input?.limit ?? DEFAULT_THREAD_LIST, offset: input?.offset }, ctx.identity)),
      ),
    history: procedure
      .input(threadHistoryInput)
      .query(({ input, ctx }): Promise<ThreadCheckpoint[]> =>
        orThrow(() => threads.history({ threadId: input.threadId, limit: input.limit ?? DEFAULT_HISTORY, before: input.before }, ctx.identity)),
      ),
    update: procedure.input(updateThreadInput).mutation(({ input, ctx }): Promise<{ checkpointId: string }> => {
      checkInputSize(input.values, "values", maxInputBytes);
      return orThrow(() => threads.update(input, ctx.identity));
    }),
    delete: procedure.input(deleteThreadInput).mutation(({ input, ctx }) => orThrow(() => threads.delete(input.threadId, ctx.identity))),
  });
}
