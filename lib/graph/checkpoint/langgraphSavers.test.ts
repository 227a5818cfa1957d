// Cross-wiring: Rill's engine with LangGraph's own savers. The saver contract cases and the engine
// cases (interrupt, resume, getState, history, updateState, forks, Sends, joins, subgraphs) run
// against LangGraph's MemorySaver and its SqliteSaver (better-sqlite3, in memory). These savers keep
// only LangGraph's checkpoint fields, so this proves Rill's engine keeps what it needs inside them.
import { MemorySaver as LangGraphMemorySaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { runCheckpointerCases } from "./checkpointer.cases";

runCheckpointerCases("LangGraph's MemorySaver", () => new LangGraphMemorySaver());
runCheckpointerCases("LangGraph's SqliteSaver", () => SqliteSaver.fromConnString(":memory:"));
