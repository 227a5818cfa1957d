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
/**
 * `configurable[CONFIG_KEY_NODE_FINISHED]`: a function called with a node's name each time one of its tasks
 * finishes without failing or interrupting, in the graph and its subgraphs (LangGraph.js's hook, as servers use it).
 */
export const CONFIG_KEY_NODE_FINISHED = "__pregel_node_finished";
