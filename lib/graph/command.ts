// `Command`: returned by a node to update the state and choose where to go next, or passed as the input
// of a run to resume an interrupted thread (`new Command({ resume })`).
import { isSend, type Send } from "./send";

export interface CommandParams<Update = Record<string, unknown>, Node extends string = string> {
  /** Value(s) for pending `interrupt()` calls: one value, or a map from interrupt id to value. */
  resume?: unknown;
  /** State update, applied like a node's return value (through reducers). */
  update?: Update | Array<[string, unknown]>;
  /** Next node(s), `Send`s or a mix. */
  goto?: Node | Send<Node> | Array<Node | Send<Node>>;
  /** `Command.PARENT` to address the parent graph from inside a subgraph. */
  graph?: string;
}

export class Command<Update = Record<string, unknown>, Node extends string = string> {
  readonly lg_name = "Command";
  /** A tool (@langchain/core) returning a Command hands it back as it is, not wrapped in a ToolMessage. */
  readonly lc_direct_tool_output = true;
  static readonly PARENT = "__parent__";
  resume?: unknown;
  update?: Update | Array<[string, unknown]>;
  goto: Array<Node | Send<Node>>;
  graph?: string;

  constructor(params: CommandParams<Update, Node> = {}) {
    this.resume = params.resume;
    this.update = params.update;
    this.graph = params.graph;
    const goto = params.goto;
    this.goto = goto === undefined ? [] : Array.isArray(goto) ? goto : [goto];
  }

  /** The update as `[key, value]` pairs. */
  updateEntries(): Array<[string, unknown]> {
    const update = this.update;
    if (update == null) return [];
    if (Array.isArray(update)) return update as Array<[string, unknown]>;
    if (typeof update === "object") return Object.entries(update as Record<string, unknown>);
    return [["__root__", update]];
  }

  toJSON(): Record<string, unknown> {
    return {
      lg_name: "Command",
      update: this.update,
      resume: this.resume,
      goto: this.goto.map((g) => (isSend(g) ? g.toJSON() : g)),
    };
  }
}

export function isCommand(value: unknown): value is Command {
  return value instanceof Command || (typeof value === "object" && value !== null && (value as { lg_name?: unknown }).lg_name === "Command");
}
