// Which process executes a run (RunRecord.executor): `<hostname>:<pid>:<start time in ms>`. The start
// time tells apart two processes that got the same pid (a container restarted), so a restarted server
// never mistakes a run its dead predecessor left running for one of its own.
import { hostname } from "node:os";

let instance: string | undefined;

export function processInstanceId(): string {
  instance ??= `${hostname()}:${process.pid}:${Math.round(performance.timeOrigin)}`;
  return instance;
}
