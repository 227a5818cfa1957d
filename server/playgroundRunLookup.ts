// Lets the playground's `/runs/<id>` page answer 404 for a run this server does not have. Next renders
// the page in the same process as the run server, but from its own bundle, so the two meet on a global
// (keyed by a registered symbol) rather than on this module's state.
const KEY = Symbol.for("rill.playground.runExists");

type RunExists = (runId: string) => boolean;

/** Set by the server that serves the playground; cleared when it closes. */
export function setPlaygroundRunLookup(lookup: RunExists | null): void {
  (globalThis as Record<symbol, unknown>)[KEY] = lookup ?? undefined;
}

/** true/false when a run server in this process answers; undefined when none does (e.g. a separate Next). */
export function playgroundRunExists(runId: string): boolean | undefined {
  const lookup = (globalThis as Record<symbol, unknown>)[KEY] as RunExists | undefined;
  return lookup ? lookup(runId) : undefined;
}

// Likewise `/threads/<id>`: 404 for a thread the server does not have (whoever's it is: the page does not
// know the tab's identity; threads.get then answers NOT_FOUND for another identity's thread, on the page).
const THREAD_KEY = Symbol.for("rill.playground.threadExists");

type ThreadExists = (threadId: string) => Promise<boolean>;

export function setPlaygroundThreadLookup(lookup: ThreadExists | null): void {
  (globalThis as Record<symbol, unknown>)[THREAD_KEY] = lookup ?? undefined;
}

/** true/false when a run server in this process answers; undefined when none does. */
export async function playgroundThreadExists(threadId: string): Promise<boolean | undefined> {
  const lookup = (globalThis as Record<symbol, unknown>)[THREAD_KEY] as ThreadExists | undefined;
  return lookup ? lookup(threadId) : undefined;
}
