import { threadStoreCases } from "../threadStore.cases";
import { MemoryThreadStore } from "./memoryThreadStore";

threadStoreCases("memory", () => new MemoryThreadStore());
