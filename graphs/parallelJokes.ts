// Several LLM calls at once: plan_subtopics asks the model for N subtopics, a Send per subtopic runs
// write_joke in parallel (their tokens interleave in "messages" mode, each tagged with its own task), and
// pick_best asks the model to choose the best joke. The map-reduce of LangGraph's Send docs, with a model.
import { z } from "zod";
import { Annotation, END, Send, START, StateGraph } from "../lib/graph";
import { ChatOpenAI } from "../lib/llm";
import type { GraphDefinition } from "./graphDefinition";
import { topicField } from "./topicField";

const input = z.strictObject({
  topic: topicField,
  count: z
    .number({ error: "count must be a number of subtopics, 2 to 5" })
    .int("count must be a whole number")
    .min(2, "count must be at least 2")
    .max(5, "count must be at most 5")
    .default(3),
});

export interface Joke {
  subtopic: string;
  joke: string;
}

const ParallelJokesState = Annotation.Root({
  topic: Annotation<string>(),
  count: Annotation<number>(),
  subtopics: Annotation<string[]>(),
  // Each write_joke task appends its joke; the engine applies them in Send order, so jokes follow subtopics.
  jokes: Annotation<Joke[]>({ reducer: (all, more) => all.concat(more), default: () => [] }),
  best: Annotation<string>(),
});
type State = typeof ParallelJokesState.State;
type WriteJokeInput = { subtopic: string };

export interface ParallelJokesModels {
  /** Plans subtopics and picks the best joke. */
  planner: ChatOpenAI;
  /** Writes each joke. */
  writer: ChatOpenAI;
}

export function buildParallelJokesGraph(models: ParallelJokesModels = defaultModels()) {
  return new StateGraph(ParallelJokesState)
    .addNode("plan_subtopics", async (state: State, config?: object) => {
      const count = state.count ?? 3;
      const reply = await models.planner.invoke(
        [{ role: "user", content: `List ${count} subtopics of ${state.topic}, one per line, with no numbering and nothing else.` }],
        config,
      );
      return { subtopics: parseSubtopics(reply.content, count, state.topic) };
    })
    // Runs only through Send, so its input is the Send's argument rather than the graph's state.
    .addNode("write_joke", async (input: State | WriteJokeInput, config?: object) => {
      const { subtopic } = input as WriteJokeInput;
      const reply = await models.writer.invoke([{ role: "user", content: `Generate a joke about ${subtopic}` }], config);
      return { jokes: [{ subtopic, joke: reply.content }] };
    })
    .addNode("pick_best", async (state: State, config?: object) => {
      const numbered = state.jokes.map((j, i) => `Joke ${i + 1}: ${oneLine(j.joke)}`).join("\n");
      const reply = await models.planner.invoke(
        [{ role: "user", content: `Pick the best of these jokes about ${state.topic}. Reply with its number, the joke, and why.\n${numbered}` }],
        config,
      );
      return { best: reply.content };
    })
    .addEdge(START, "plan_subtopics")
    .addConditionalEdges("plan_subtopics", (state: State) => state.subtopics.map((subtopic) => new Send("write_joke", { subtopic } satisfies WriteJokeInput)), ["write_joke"])
    .addEdge("write_joke", "pick_best")
    .addEdge("pick_best", END)
    .compile();
}

function defaultModels(): ParallelJokesModels {
  return { planner: new ChatOpenAI({ temperature: 0 }), writer: new ChatOpenAI({ temperature: 0.9 }) };
}

const TRAILING_PUNCTUATION = new Set(`"'“”*_.:;`);

/** `text` without the characters of `chars` at its end: one backward scan (a `[...]+$` pattern retries from every position). */
function trimTrailing(text: string, chars: ReadonlySet<string>): string {
  let end = text.length;
  while (end > 0 && chars.has(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/**
 * `text` with each whitespace run that holds a line break made one space (runs without one stay as they
 * are), in one pass: the pattern `\s*\n+\s*` retries from every position of a long run of spaces.
 */
export function oneLine(text: string): string {
  if (!text.includes("\n")) return text;
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isSpace(text[i]!)) {
      const start = i;
      while (i < text.length && !isSpace(text[i]!)) i++;
      parts.push(text.slice(start, i));
      continue;
    }
    const start = i;
    let lineBreak = false;
    for (; i < text.length && isSpace(text[i]!); i++) if (text[i] === "\n") lineBreak = true;
    parts.push(lineBreak ? " " : text.slice(start, i));
  }
  return parts.join("");
}

function isSpace(char: string): boolean {
  return char === " " || char === "\n" || char === "\t" || char === "\r" || /\s/.test(char);
}

/**
 * The model's lines as subtopics: bullets, numbering and quotes removed, duplicates dropped, at most
 * `count`. A model that returns nothing usable still gets one joke, about the topic itself.
 */
export function parseSubtopics(text: string, count: number, topic: string): string[] {
  const seen = new Set<string>();
  const subtopics: string[] = [];
  for (const line of text.split("\n")) {
    const cleaned = line
      .replace(/^\s*(?:[-*•]|\d+[.):]|[a-z][.)])\s*/i, "")
      .replace(/^["'“”*_]+/, "");
    const trimmed = trimTrailing(cleaned, TRAILING_PUNCTUATION).trim();
    const key = trimmed.toLowerCase();
    if (trimmed === "" || trimmed.length > 120 || seen.has(key)) continue;
    seen.add(key);
    subtopics.push(trimmed);
    if (subtopics.length === count) break;
  }
  return subtopics.length > 0 ? subtopics : [topic];
}

export const parallelJokes: GraphDefinition<typeof input> = {
  id: "parallel-jokes",
  title: "Parallel jokes (Send map-reduce)",
  description:
    "The model lists subtopics, writes a joke about each in parallel (one Send per subtopic, tokens interleaving), then picks the best.",
  input,
  exampleInput: { topic: "ice cream", count: 3 },
  usesModel: true,
  build: () => buildParallelJokesGraph(),
};

export default parallelJokes;
