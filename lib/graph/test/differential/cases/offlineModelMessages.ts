// "messages" mode with a real chat model over HTTP: Rill's ChatOpenAI against the offline model on Rill,
// a LangChain chat model streaming the same server on LangGraph.js (offlineLangChainModel.ts). Both see
// the same tokens, so the streams must agree on every chunk, including the last, empty one that carries
// the finish reason and usage.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";
import { messageProjection } from "../messageProjection";
import { buildJokeGraph } from "./jokeGraph";

const input = { topic: "ice cream" };

export const offlineModelMessages: DifferentialCase = {
  name: "messages from ChatOpenAI on the offline model",
  async run(side, rec) {
    const model = side.offlineChatModel();
    const withConfig = buildJokeGraph(side.lg, {
      generateJoke: async (state, config) => {
        const msg = await model.invoke([{ role: "user", content: `Tell me a joke about ${state.topic}` }], config);
        return { joke: msg.content as string };
      },
    });
    await rec.stream("messages", () => withConfig.stream(input, { streamMode: "messages" }), messageProjection("single"));
    const modes: StreamMode[] = ["updates", "messages", "values"];
    await rec.stream("updates+messages+values", () => withConfig.stream(input, { streamMode: modes }), messageProjection("modes"));

    // As the seed's Python writes it: the node does not pass its config; the model finds the task anyway.
    const withoutConfig = buildJokeGraph(side.lg, {
      generateJoke: async (state) => {
        const msg = await model.invoke([{ role: "user", content: `Tell me a joke about ${state.topic}` }]);
        return { joke: msg.content as string };
      },
    });
    await rec.stream("messages, model called without config", () => withoutConfig.stream(input, { streamMode: "messages" }), messageProjection("single"));

    // Two calls in one node: two messages, each with its own id.
    const twice = buildJokeGraph(side.lg, {
      generateJoke: async (state, config) => {
        const first = await model.invoke([{ role: "user", content: `Tell me a joke about ${state.topic}` }], config);
        const second = await model.invoke([{ role: "user", content: "hello" }], config);
        return { joke: `${String(first.content)} / ${String(second.content)}` };
      },
    });
    await rec.stream("messages, two calls in one node", () => twice.stream(input, { streamMode: "messages" }), messageProjection("single"));
    await rec.value("invoke, two calls in one node", () => twice.invoke(input));
  },
};
