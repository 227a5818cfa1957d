// What a node returned, read as writes and routes: an object of state keys, a Command (its update and
// gotos; Command.PARENT ends a subgraph), or an array holding at least one Command. Anything else is
// LangGraph.js's INVALID_GRAPH_NODE_RETURN_VALUE error.
import { isCommand, type Command } from "../command";
import { END } from "../constants";
import { InvalidUpdateError, ParentCommand } from "../errors";
import type { Send } from "../send";
import type { StateChannels, Write } from "../channels/stateChannels";
import type { StateValues } from "../types";
import { NO_WRITES, type Task } from "./task";

/** Parses what a node returned into the task's writes and routes (LangGraph.js's rules and error). */
export function collectWrites(task: Task, output: unknown): void {
  const channels = task.loop.plan.channels;
  if (output === null || output === undefined) {
    task.writes = NO_WRITES;
    return;
  }
  const writes: Write[] = [];
  if (isCommand(output)) {
    addCommandWrites(channels, task, output, writes);
  } else if (Array.isArray(output)) {
    if (!output.some(isCommand)) throw invalidReturn(task, output);
    for (const item of output) {
      if (isCommand(item)) addCommandWrites(channels, task, item, writes);
      else if (item !== null && typeof item === "object" && !Array.isArray(item)) addObjectWrites(channels, item, writes);
    }
  } else if (typeof output === "object") {
    addObjectWrites(channels, output, writes);
  } else {
    throw invalidReturn(task, output);
  }
  if (channels.validators !== null) channels.validate(writes);
  task.writes = writes;
}

function addObjectWrites(channels: StateChannels, value: object, writes: Write[]): void {
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (channels.has(key)) writes.push([key, (value as StateValues)[key]]);
  }
}

function addCommandWrites(channels: StateChannels, task: Task, command: Command, writes: Write[]): void {
  if (command.graph === "__parent__") {
    if (task.loop.isNested) throw new ParentCommand({ update: command.update, goto: command.goto });
    throw new InvalidUpdateError("A node returned a Command for the parent graph (Command.PARENT), but its graph is not a subgraph");
  }
  for (const entry of command.updateEntries()) if (channels.has(entry[0])) writes.push(entry);
  for (const dest of command.goto) if (dest !== END) task.addRoute(dest as string | Send);
}

function invalidReturn(task: Task, output: unknown): InvalidUpdateError {
  return new InvalidUpdateError(
    `Expected node "${task.name}" to return an object or an array containing at least one Command object, received ${Array.isArray(output) ? "array" : typeof output}`,
    { lc_error_code: "INVALID_GRAPH_NODE_RETURN_VALUE" },
  );
}
