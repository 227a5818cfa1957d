// LangGraph.js's functional API: `entrypoint`, `task`, `getPreviousState`.
export { EntrypointFinal, EntrypointGraph, PREVIOUS, entrypoint, getPreviousState } from "./entrypoint";
export type { EntrypointOptions } from "./entrypoint";
export { task } from "./task";
export type { TaskOptions } from "./task";
