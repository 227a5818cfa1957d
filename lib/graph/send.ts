// `Send(node, arg)`: run `node` once more in the next step with `arg` as its input (map-reduce fan-out).

export class Send<Node extends string = string, Args = unknown> {
  readonly lg_name = "Send";
  constructor(
    public readonly node: Node,
    public readonly args: Args,
  ) {}

  toJSON(): { lg_name: "Send"; node: Node; args: Args } {
    return { lg_name: "Send", node: this.node, args: this.args };
  }
}

export function isSend(value: unknown): value is Send {
  return value instanceof Send || (typeof value === "object" && value !== null && (value as { lg_name?: unknown }).lg_name === "Send");
}
