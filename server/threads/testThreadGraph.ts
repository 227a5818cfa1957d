// A graph for the thread tests: "first" appends `<label>-1`, "second" appends `<label>-2`, and when the
// input says `hold`, "second" first waits for the test to release it (so a run can be caught running,
// after its first step's checkpoint: double texting has something to keep or roll back).
import { z } from "zod";
import { Annotation, END, START, StateGraph } from "../../lib/graph";
import type { GraphDefinition } from "../../graphs/graphDefinition";

interface Gate {
  entered: Promise<void>;
  enter(): void;
  released: Promise<void>;
  release(): void;
}

const gates = new Map<string, Gate>();

/** The gate a run with `hold: name` waits at in "second": `entered` once it waits, `release()` lets it go on. */
export function gate(name: string): Gate {
  let gate = gates.get(name);
  if (!gate) {
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    gates.set(name, (gate = { entered, enter, released, release }));
  }
  return gate;
}

const State = Annotation.Root({
  label: Annotation<string>(),
  hold: Annotation<string>(),
  items: Annotation<string[]>({ reducer: (a, b) => [...(a ?? []), ...b], default: () => [] }),
});

/** `hold` defaults to "" so each run's input sets it (a cancelled held run must not hold the next one). */
const input = z.strictObject({ label: z.string().min(1), hold: z.string().default("") });

export const stepsGraph: GraphDefinition<typeof input> = {
  id: "steps",
  title: "Steps (test)",
  description: "Two steps appending to items; optionally held in the second until released.",
  input,
  exampleInput: { label: "a" },
  build() {
    return new StateGraph(State)
      .addNode("first", (state) => ({ items: [`${state.label}-1`] }))
      .addNode("second", async (state, config) => {
        if (state.hold) {
          const held = gate(state.hold);
          held.enter();
          await new Promise<void>((resolve, reject) => {
            if (config.signal?.aborted) return reject(config.signal.reason);
            config.signal?.addEventListener("abort", () => reject(config.signal?.reason), { once: true });
            void held.released.then(resolve);
          });
        }
        return { items: [`${state.label}-2`] };
      })
      .addEdge(START, "first")
      .addEdge("first", "second")
      .addEdge("second", END)
      .compile();
  },
};
