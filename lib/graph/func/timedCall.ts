// `task({ name, timeout }, fn)`: each attempt of a call is bounded by `runTimeout` like a node's
// (nodeOptions/timedRun.ts): past it the attempt fails with NodeTimeoutError and its late outcome is
// ignored. The retry policy then decides, as for any failure.
import { NodeTimeoutError } from "../nodeOptions/errors";

function ignore(): void {}

/** Runs `attempt`, failing with NodeTimeoutError (naming `name`) once `runTimeout` ms passed. */
export function runTimedAttempt<Output>(name: string, runTimeout: number, attempt: () => Output | Promise<Output>): Promise<Output> {
  const started = Date.now();
  return new Promise<Output>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new NodeTimeoutError({ node: name, elapsed: Date.now() - started, kind: "run", runTimeout }));
    }, runTimeout);
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
    };
    let output: Output | Promise<Output>;
    try {
      output = attempt();
    } catch (error) {
      settle(() => reject(error));
      return;
    }
    const late = Promise.resolve(output);
    late.then(
      (value) => settle(() => resolve(value)),
      (error) => settle(() => reject(error)),
    );
    late.catch(ignore);
  });
}
