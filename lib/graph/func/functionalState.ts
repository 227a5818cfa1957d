// What an entrypoint's task keeps about its `task()` calls while it is interrupted: each finished call's
// result (a resumed entrypoint runs again from the top, and a call that already returned is not run
// again), each call's resume values, and which call's interrupt stopped it (that call gets the next
// resume value). Saved with the task's resume write; nothing of this exists for graphs without task().
import { hashHex32 } from "../pregel/ids";

/** The part of @langchain/langgraph-checkpoint's BaseCache a task's cachePolicy uses. */
export interface TaskCache {
  get(keys: Array<[string[], string]>): Promise<Array<{ key: [string[], string]; value: unknown }>>;
  set(pairs: Array<{ key: [string[], string]; value: unknown; ttl?: number }>): Promise<void>;
  clear(namespaces: string[][]): Promise<void>;
}

export interface SavedFunctionalState {
  results: Array<[string, unknown]>;
  resumes: Array<[string, unknown[]]>;
  owner: string | null;
}

/** The resume write of an entrypoint's task: its own resume values and its calls' state. */
export interface SavedFunctionalResume {
  values: unknown[];
  functional: SavedFunctionalState;
}

export class FunctionalState {
  readonly results = new Map<string, unknown>();
  readonly resumes = new Map<string, unknown[]>();
  /** The call whose interrupt stopped the task (its `id`), or null when the task's own interrupt() did. */
  owner: string | null = null;
  /** Whether this run already gave a resume value to the call it answers (see functionalStateOf); not saved. */
  claimed = false;
  /** `getPreviousState()`: what the entrypoint saved on the thread's last run. */
  previous: unknown = undefined;
  /** Calls made so far in this execution, per caller ("" for the entrypoint itself, else the call's id). */
  private calls = new Map<string, number>();

  /** The entrypoint's `cache` (LangGraph's BaseCache), for tasks with a `cachePolicy`; not saved. */
  cache: TaskCache | undefined = undefined;

  /** An entrypoint's task: `getCurrentTaskInput()` is the function's input (`input`), not the graph's state. */
  hasInput = false;
  input: unknown = undefined;

  /** A new execution of the entrypoint (first run, resume, retry): calls are numbered from 0 again. */
  beginExecution(input: unknown, previous: unknown, cache: TaskCache | undefined): void {
    this.calls = new Map();
    this.hasInput = true;
    this.input = input;
    this.previous = previous;
    this.cache = cache;
  }

  /** The id of the next `name` call made by `callerId`: the same call gets the same id when the task runs again. */
  nextCallId(callerId: string, name: string): string {
    const index = this.calls.get(callerId) ?? 0;
    this.calls.set(callerId, index + 1);
    return hashHex32(`${callerId}|${name}|${index}`);
  }

  saved(): SavedFunctionalState {
    return { results: [...this.results], resumes: [...this.resumes], owner: this.owner };
  }
}

export function restoreFunctionalState(saved: SavedFunctionalState): FunctionalState {
  const state = new FunctionalState();
  for (const [id, value] of saved.results) state.results.set(id, value);
  for (const [id, values] of saved.resumes) state.resumes.set(id, [...values]);
  state.owner = saved.owner;
  return state;
}

// Kept beside the task, not on it: graphs that never call task() add nothing to their tasks.
const byTask = new WeakMap<object, FunctionalState>();

/** The functional state of `task` (an entrypoint's task, or a node that called task()), if any. */
export function functionalOf(task: object): FunctionalState | undefined {
  return byTask.get(task);
}

export function setFunctional(task: object, state: FunctionalState): FunctionalState {
  byTask.set(task, state);
  return state;
}
