import { runStoreCases } from "../runStore.cases";
import { MemoryRunStore } from "./memoryRunStore";

runStoreCases("memory", (limits) => new MemoryRunStore(limits));
