// `Send(node, arg)`: run `node` once more in the next step with `arg` as its input (map-reduce fan-out).
import type { TimeoutPolicy } from "./nodeOptions/timeoutPolicy";

/** Per-Send options: `timeout` replaces the target node's for this one task. */
export interface SendOptions {
  timeout?: number | TimeoutPolicy;
}

export class Send<Node extends string = string, Args = unknown> {
  readonly lg_name = "Send";
  constructor(
    public readonly node: Node,
    public readonly args: Args,
    public readonly options?: SendOptions,
  ) {}

  toJSON(): { lg_name: "Send"; node: Node; args: Args } {
    return { lg_name: "Send", node: this.node, args: this.args };
  }
}

export function isSend(value: unknown): value is Send {
  return value instanceof Send || (typeof value === "object" && value !== null && (value as { lg_name?: unknown }).lg_name === "Send");
}
