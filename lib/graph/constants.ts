// Reserved names shared with LangGraph.js: graph code compares against these strings.
export const START = "__start__";
export const END = "__end__";
/** Key of the `updates`/`values` chunk that reports the interrupts that stopped a run. */
export const INTERRUPT = "__interrupt__";
/** First element of `langgraph_path` for tasks triggered by edges. */
export const PULL = "__pregel_pull";
/** First element of `langgraph_path` (and the trigger) of tasks created by `Send`. */
export const PUSH = "__pregel_push";
/** `updateState(config, null, COPY)`: copy a checkpoint as a fork (same values and next nodes). */
export const COPY = "__copy__";
