// reference/cases/02_messages.mjs: generate_joke calls a streaming chat model; "messages" mode yields its tokens.
import type { DifferentialCase } from "../differentialCase";
import { messageProjection } from "../messageProjection";
import { buildJokeGraph } from "./jokeGraph";

const input = { topic: "ice cream" };
const answer = "Why did the cat eat ice cream? Purr-fect!";

export const messages: DifferentialCase = {
  name: "02 messages from a chat model",
  async run(side, rec) {
    const model = side.chatModel([answer]);
    const graph = buildJokeGraph(side.lg, {
      generateJoke: async (state, config) => {
        // config is passed through, as LangGraph.js users write it, so the model finds the task.
        const msg = await model.invoke([{ role: "user", content: `Tell a joke about ${state.topic}` }], config);
        return { joke: msg.content as string };
      },
    });
    await rec.stream("messages", () => graph.stream(input, { streamMode: "messages" }), messageProjection("single"));
    await rec.stream(
      "messages+updates",
      () => graph.stream(input, { streamMode: ["messages", "updates"] }),
      messageProjection("modes"),
    );
    // Tokens are only produced for whoever listens: other modes see just the node's update.
    await rec.stream("updates only", () => graph.stream(input, { streamMode: "updates" }));
    await rec.value("invoke", () => graph.invoke(input));
  },
};
