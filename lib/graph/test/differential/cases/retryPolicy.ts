// retryPolicy: a flaky node succeeds on its third attempt; a node that always fails exhausts its attempts.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const retryPolicy: DifferentialCase = {
  name: "retryPolicy",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ result: lg.Annotation<string>() });
    const policy = { maxAttempts: 3, initialInterval: 1, backoffFactor: 1, jitter: false };

    const flakyGraph = () => {
      let attempts = 0;
      const graph = new lg.StateGraph(State)
        .addNode(
          "flaky",
          (_s, config) => {
            attempts += 1;
            config.writer?.({ attempt: attempts });
            if (attempts < 3) throw new Error(`flaky failure ${attempts}`);
            return { result: `succeeded after ${attempts}` };
          },
          { retryPolicy: policy },
        )
        .addEdge(lg.START, "flaky")
        .compile();
      return { graph, attempts: () => attempts };
    };

    for (const mode of ["updates", "debug", "custom", "tasks"] satisfies StreamMode[]) {
      const { graph, attempts } = flakyGraph();
      await rec.stream(`flaky, ${mode}`, () => graph.stream({}, { streamMode: mode }));
      await rec.value(`flaky, ${mode}, attempts`, attempts);
    }

    let failures = 0;
    const hopeless = new lg.StateGraph(State)
      .addNode(
        "hopeless",
        (): { result: string } => {
          failures += 1;
          throw new TypeError(`still broken (${failures})`);
        },
        { retryPolicy: policy },
      )
      .addEdge(lg.START, "hopeless")
      .compile();
    await rec.stream("always fails, debug", () => hopeless.stream({}, { streamMode: "debug" }));
    await rec.value("always fails, attempts", () => failures);

    // retryOn decides which errors are retried.
    let picky = 0;
    const selective = new lg.StateGraph(State)
      .addNode(
        "picky",
        (): { result: string } => {
          picky += 1;
          throw new RangeError("not retried");
        },
        { retryPolicy: { ...policy, retryOn: (e: unknown) => !(e instanceof RangeError) } },
      )
      .addEdge(lg.START, "picky")
      .compile();
    await rec.stream("retryOn rejects, updates", () => selective.stream({}, { streamMode: "updates" }));
    await rec.value("retryOn rejects, attempts", () => picky);
  },
};
