// Which task a streamed message belongs to, in words, and whether it is still being written. Parallel
// tasks of one node (a Send fan-out) would otherwise all read "write_joke · step 2".
import { clipLine } from "./clipLine";
import type { MessageGroup, NodeState, TaskEntry } from "./runStore";

export interface TaskLookup {
  tasks: readonly TaskEntry[];
  taskIndexById: ReadonlyMap<string, number>;
  nodes: ReadonlyMap<string, NodeState>;
  newestMessageOfTask: ReadonlyMap<string, number>;
}

function taskOf(group: MessageGroup, lookup: TaskLookup): TaskEntry | undefined {
  if (group.taskId === null) return undefined;
  const index = lookup.taskIndexById.get(group.taskId);
  return index === undefined ? undefined : lookup.tasks[index];
}

/** What a Send passed its task, short: `subtopic: The history of ice cream`, or compact JSON. */
export function sendArgument(input: unknown): string | null {
  if (input === undefined || input === null) return null;
  if (typeof input !== "object") return clipLine(String(input), 80);
  const entries = Object.entries(input);
  if (entries.length === 1 && typeof entries[0]![1] !== "object") return clipLine(`${entries[0]![0]}: ${String(entries[0]![1])}`, 80);
  return clipLine(JSON.stringify(input), 80);
}

/** "send 2 · subtopic: …" for a Send task's message; null for a task the graph's edges started. */
export function messageTaskLabel(group: MessageGroup, lookup: TaskLookup): string | null {
  if (group.sendIndex === null) return null;
  const argument = sendArgument(taskOf(group, lookup)?.input);
  return `send ${group.sendIndex + 1}${argument ? ` · ${argument}` : ""}`;
}

/**
 * Whether a message is still streaming: its task's state when the stream has tasks (debug or tasks
 * mode), else its node's; `streaming` is whether the run is.
 */
export function isMessageLive(group: MessageGroup, lookup: TaskLookup, streaming: boolean): boolean {
  if (!streaming) return false;
  const task = taskOf(group, lookup);
  if (task) return task.state === "running" && lookup.newestMessageOfTask.get(group.taskId!) === group.firstEventIndex;
  return lookup.nodes.get(group.nodeKey) === "running";
}
