// A Send's argument saved in a checkpoint by a serializing saver (LangGraph's MemorySaver, SQLite, ...)
// comes back as JSON: a Command or Send in it is a plain object marked `lg_name`. LangGraph.js makes
// instances of them again (its Send constructor deserializes its args), so a node sent a Command still
// gets a Command (with toJSON, goto as Sends). Held by reference (Rill's MemorySaver) they are instances
// already and nothing is copied.
import { Command } from "../command";
import { Send } from "../send";

function isMarked(value: unknown, name: string): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || (value as { lg_name?: unknown }).lg_name !== name) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` with its plain-object Commands and Sends (and those in their goto / args) made instances again. */
export function reviveCommandsAndSends(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const revived = reviveCommandsAndSends(value[i]);
      if (revived !== value[i]) (out ??= value.slice())[i] = revived;
    }
    return out ?? value;
  }
  if (isMarked(value, "Send")) return new Send(String(value.node), reviveCommandsAndSends(value.args));
  if (isMarked(value, "Command")) {
    const goto = Array.isArray(value.goto) ? value.goto.map(reviveGoto) : value.goto === undefined ? undefined : reviveGoto(value.goto);
    return new Command({ update: value.update as Record<string, unknown> | undefined, resume: value.resume, graph: value.graph as string | undefined, goto });
  }
  return value;
}

/** A Command's goto entry: a node name, or a Send (LangGraph's serializer writes a Send as `{ node, args }`). */
function reviveGoto(entry: unknown): string | Send {
  if (typeof entry === "string" || entry instanceof Send) return entry;
  const send = entry as { node?: unknown; args?: unknown; timeout?: unknown };
  if (send !== null && typeof send === "object" && typeof send.node === "string") {
    return new Send(send.node, reviveCommandsAndSends(send.args), send.timeout !== undefined ? { timeout: send.timeout as number } : undefined);
  }
  return entry as string;
}
