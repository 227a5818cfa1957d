// A compiled graph used as a node: brainstorm -> pick inside "writers_room".
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";

const RoomState = Annotation.Root({
  topic: Annotation<string>(),
  ideas: Annotation<string[]>({ reducer: (all, more) => all.concat(more), default: () => [] }),
  angle: Annotation<string>(),
});

const writersRoom = new StateGraph(RoomState)
  .addNode("brainstorm", (state: typeof RoomState.State) => ({ ideas: [`${state.topic} at the vet`, `${state.topic} in space`] }))
  .addNode("pick", (state: typeof RoomState.State) => ({ angle: state.ideas[state.topic.length % state.ideas.length]! }))
  .addEdge(START, "brainstorm")
  .addEdge("brainstorm", "pick")
  .addEdge("pick", END)
  .compile();

const ShowState = Annotation.Root({ topic: Annotation<string>(), angle: Annotation<string>(), joke: Annotation<string>() });

export const graph = new StateGraph(ShowState)
  .addNode("writers_room", writersRoom)
  .addNode("generate_joke", (state: typeof ShowState.State) => ({ joke: `This is a joke about ${state.angle}` }))
  .addEdge(START, "writers_room")
  .addEdge("writers_room", "generate_joke")
  .compile();
