// Graphs for the restart tests, compiled with a durable checkpointer of the test's choosing (until the
// server gives every graph its own: server/threads). "steps" counts to `total`, one superstep a step,
// writing `{ step }` in each (`{ step, label }` when the run's config.configurable has a `label`: what a
// continued run was started with shows in its output); with `hangAt` it hangs in that step (the process is then killed there).
// "approve" asks with interrupt() and finishes with the answer.
import { z } from "zod";
import type { BaseCheckpointSaver } from "../../../lib/graph/checkpoint/base";
import { Annotation, END, START, StateGraph, interrupt } from "../../../lib/graph";
import type { GraphDefinition } from "../../../graphs/graphDefinition";

const StepsState = Annotation.Root({ total: Annotation<number>(), n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
const stepsInput = z.strictObject({ total: z.number().int().min(1).max(100) });

export function stepsGraph(checkpointer: BaseCheckpointSaver, hangAt: number | null): GraphDefinition<typeof stepsInput> {
  return {
    id: "steps",
    title: "Steps (test)",
    description: "Counts to total, one superstep a step.",
    input: stepsInput,
    exampleInput: { total: 3 },
    build() {
      return new StateGraph(StepsState)
        .addNode("step", async (state, config) => {
          const step = state.n + 1;
          const label = config.configurable?.label;
          config.writer?.(label === undefined ? { step } : { step, label });
          if (step === hangAt) await new Promise(() => undefined);
          return { n: step };
        })
        .addEdge(START, "step")
        .addConditionalEdges("step", (state) => (state.n < state.total ? "step" : END))
        .compile({ checkpointer });
    },
  };
}

const ApproveState = Annotation.Root({ topic: Annotation<string>(), answer: Annotation<unknown>() });
const approveInput = z.strictObject({ topic: z.string() });

export function approveGraph(checkpointer: BaseCheckpointSaver): GraphDefinition<typeof approveInput> {
  return {
    id: "approve",
    title: "Approve (test)",
    description: "Asks, then finishes with the answer.",
    input: approveInput,
    exampleInput: { topic: "x" },
    build() {
      return new StateGraph(ApproveState)
        .addNode("ask", (state) => ({ answer: interrupt({ question: `ok ${state.topic}?` }) }))
        .addEdge(START, "ask")
        .addEdge("ask", END)
        .compile({ checkpointer });
    },
  };
}
