import { runCheckpointerCases } from "../checkpointer.cases";
import { MemorySaver } from "./memorySaver";

runCheckpointerCases("MemorySaver", () => new MemorySaver());
