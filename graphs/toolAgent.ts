// A LangGraph.js-style tool-using agent on Rill: `createReactAgent` (lib/graph/prebuilt) with
// @langchain/openai's ChatOpenAI and two `tool()`s from @langchain/core: a calculator and a canned
// weather lookup. The model is the configured one (OPENAI_*), else Rill's offline model, which calls a
// tool when the question names it ("use the weather tool for Paris") and then sums up what it returned.
// In the playground the tool call streams as tool-call chunks, then the tool's ToolMessage, then the answer.
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { createReactAgent } from "../lib/graph/prebuilt";
import { resolveModelConfig } from "../lib/llm/modelConfig";
import { ensureOfflineModelURL } from "../lib/llm/offlineEndpoint";
import type { GraphDefinition } from "./graphDefinition";

const OPERATIONS = ["multiply", "add", "subtract", "divide"] as const;

export const calculator = tool(
  async ({ a, b, operation }: { a: number; b: number; operation: (typeof OPERATIONS)[number] }) => {
    if (operation === "divide" && b === 0) throw new Error("cannot divide by zero");
    const result = operation === "multiply" ? a * b : operation === "add" ? a + b : operation === "subtract" ? a - b : a / b;
    return `${a} ${{ multiply: "×", add: "+", subtract: "−", divide: "÷" }[operation]} ${b} = ${result}`;
  },
  {
    name: "calculator",
    description: "Computes a × b, a + b, a − b or a ÷ b.",
    schema: z.object({ a: z.number(), b: z.number(), operation: z.enum(OPERATIONS) }),
  },
);

const FORECASTS: Record<string, string> = {
  paris: "Paris: 18 °C, light rain, wind 12 km/h",
  london: "London: 14 °C, overcast, wind 20 km/h",
  tokyo: "Tokyo: 24 °C, sunny, wind 8 km/h",
  "new york": "New York: 21 °C, partly cloudy, wind 15 km/h",
};

export const weather = tool(
  async ({ city }: { city: string }) => {
    const forecast = FORECASTS[city.trim().toLowerCase()];
    if (forecast === undefined) throw new Error(`no forecast for "${city}"; known cities: Paris, London, Tokyo, New York`);
    return forecast;
  },
  {
    name: "weather",
    description: "Today's weather for a city (canned data for Paris, London, Tokyo and New York).",
    schema: z.object({ city: z.string().describe("the city's name") }),
  },
);

const TOOLS = [calculator, weather];

/** The configured model with the tools bound; the offline model's URL is resolved on first use. */
function toolCallingModel() {
  let model: ReturnType<ChatOpenAI["bindTools"]> | undefined;
  return async () => {
    if (model !== undefined) return model;
    const config = resolveModelConfig(process.env);
    const baseURL = config.offline ? await ensureOfflineModelURL() : config.baseURL;
    model = new ChatOpenAI({ model: config.model, apiKey: config.apiKey, configuration: { baseURL }, temperature: 0 }).bindTools(TOOLS);
    return model;
  };
}

export function buildToolAgentGraph() {
  return createReactAgent({
    llm: toolCallingModel(),
    tools: TOOLS,
    prompt: "You are a helpful assistant. Use the calculator for arithmetic and the weather tool for weather.",
  });
}

const input = z.strictObject({
  messages: z
    .array(
      z.strictObject({
        role: z.enum(["user", "assistant"], { error: "role must be \"user\" or \"assistant\"" }),
        content: z.string().trim().min(1, "content must not be empty").max(2000, "content must be at most 2000 characters"),
      }),
    )
    .min(1, "messages needs at least one message")
    .max(20, "messages must hold at most 20 messages"),
});

export const toolAgentGraph: GraphDefinition<typeof input> = {
  id: "tool-agent",
  title: "Tool-using agent",
  description: "LangGraph.js's createReactAgent with a calculator and a canned weather lookup: the model's tool call streams, the tool answers, the model sums up.",
  input,
  exampleInput: { messages: [{ role: "user", content: "Use the weather tool for Paris" }] },
  usesModel: true,
  build: () => buildToolAgentGraph() as unknown as ReturnType<GraphDefinition["build"]>,
};

export default toolAgentGraph;
