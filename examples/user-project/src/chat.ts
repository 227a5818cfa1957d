// A node calling a LangChain chat model (a scripted fake from @langchain/core, no network): its tokens reach
// "messages" mode through LangChain's callbacks, so this graph runs with "engine": "langgraph".
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { Annotation, START, StateGraph } from "@langchain/langgraph";

const State = Annotation.Root({ question: Annotation<string>(), answer: Annotation<string>() });
const model = new FakeListChatModel({ responses: ["Hi there!"] });

export const graph = new StateGraph(State)
  .addNode("respond", async (state: typeof State.State) => {
    const reply = await model.invoke([{ role: "user", content: state.question }]);
    return { answer: String(reply.content) };
  })
  .addEdge(START, "respond")
  .compile();
