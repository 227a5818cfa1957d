// reference/cases/01_joke_modes.mjs: the seed's graph in every single mode, a list of modes, the default, invoke.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";
import { buildJokeGraph } from "./jokeGraph";

const input = { topic: "ice cream" };
const singleModes: StreamMode[] = ["values", "updates", "debug", "custom", "checkpoints", "tasks"];

export const jokeModes: DifferentialCase = {
  name: "01 joke graph, every mode",
  async run({ lg }, rec) {
    const graph = buildJokeGraph(lg);
    await rec.stream("default", () => graph.stream(input));
    for (const mode of singleModes) {
      await rec.stream(mode, () => graph.stream(input, { streamMode: mode }));
    }
    await rec.stream("updates+custom", () => graph.stream(input, { streamMode: ["updates", "custom"] }));
    await rec.stream("all modes list", () => graph.stream(input, { streamMode: singleModes }));
    await rec.value("invoke", () => graph.invoke(input));

    const withSaver = buildJokeGraph(lg, { checkpointer: new lg.MemorySaver() });
    await rec.stream("checkpoints with MemorySaver", () =>
      withSaver.stream(input, { streamMode: "checkpoints", configurable: { thread_id: "t-ckpt" } }),
    );
    await rec.stream("debug with MemorySaver", () =>
      withSaver.stream(input, { streamMode: "debug", configurable: { thread_id: "t-debug" } }),
    );
    await rec.stream("all modes with MemorySaver", () =>
      withSaver.stream(input, { streamMode: [...singleModes, "messages"], configurable: { thread_id: "t-all" } }),
    );
  },
};
