// Conditional edges: each branch's path function reads the state (as the task that just finished sees
// it) and its destinations are added to the routes of that task, of START, or of updateState's node.
// A path function returning a Promise is awaited (refused under streamSync).
import type { Send } from "../send";
import type { StateValues } from "../types";
import type { PregelLoop } from "./loop";
import type { Exits } from "./plan";

function noop(): void {}

/**
 * Runs the conditional edges leaving `exits`, reading `state` (the step's state with this task's
 * own writes applied), and appends their destinations to `routes`.
 */
export function runBranches(loop: PregelLoop, exits: Exits, state: StateValues, config: object, owner: { addRoute(dest: string | Send): void }): Promise<void> | undefined {
  const branches = exits.branches;
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i];
    const result = branch.path(state, config);
    if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") {
      if (loop.run.sync) {
        (result as Promise<unknown>).then(noop, noop);
        throw new Error(`A conditional edge's path function returned a Promise; streamSync can only run synchronous graphs. Use stream() instead.`);
      }
      return (async () => {
        for (const dest of branch.resolve(await (result as Promise<never>))) owner.addRoute(dest);
        for (let j = i + 1; j < branches.length; j++) for (const dest of branches[j].resolve(await branches[j].path(state, config))) owner.addRoute(dest);
      })();
    }
    for (const dest of branch.resolve(result as never)) owner.addRoute(dest);
  }
  return undefined;
}
