// Several modes at once on a graph with parallel nodes, Send, custom data and a chat model.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";
import { messageProjection } from "../messageProjection";

export const multipleModes: DifferentialCase = {
  name: "multiple modes at once",
  async run(side, rec) {
    const { lg } = side;
    const model = side.chatModel(["ok", "fine"]);
    const State = lg.Annotation.Root({
      question: lg.Annotation<string>(),
      answers: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      summary: lg.Annotation<string>(),
    });
    const graph = new lg.StateGraph(State)
      .addNode("ask", async (s, config) => {
        config.writer?.({ progress: "asking" });
        const reply = await model.invoke([{ role: "user", content: s.question }], config);
        return { answers: [String(reply.content)] };
      })
      .addNode("expand", async (input: typeof State.State, config) => {
        config.writer?.({ progress: `expanding ${input.question}` });
        // Finish after "ask" has streamed its tokens: when tokens and other tasks' results race, their
        // order depends on the chat model's internals, which is not what this case compares.
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { answers: [`expanded ${input.question}`] };
      })
      .addNode("summarize", (s) => ({ summary: s.answers.join(" | ") }))
      .addEdge(lg.START, "ask")
      .addConditionalEdges(lg.START, (s) => [new lg.Send("expand", { question: `${s.question}-1` }), new lg.Send("expand", { question: `${s.question}-2` })])
      .addEdge(["ask", "expand"], "summarize")
      .addEdge("summarize", lg.END)
      .compile();

    const input = { question: "why" };
    const combos: StreamMode[][] = [
      ["values", "updates"],
      ["updates", "custom"],
      ["custom", "values", "debug"],
      ["tasks", "updates"],
      ["values", "updates", "custom", "messages", "debug", "tasks", "checkpoints"],
      ["updates"],
    ];
    for (const streamMode of combos) {
      await rec.stream(
        streamMode.join("+"),
        () => graph.stream(input, { streamMode }),
        streamMode.includes("messages") ? messageProjection("modes") : undefined,
      );
    }
  },
};
