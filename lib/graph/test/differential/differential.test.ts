// The differential test: every case runs on LangGraph.js (live, the devDependency) and on Rill with
// only the import changed; each recorded stream or result must be equal once ids and timestamps are
// normalized (normalize.ts). Thrown errors are compared by constructor name, name and message.
// Intentional differences: the envelope of "messages" chunks (messageProjection.ts), LangChain callback
// objects in checkpoint configs (normalize.ts), and LangGraph.js bugs Rill does not copy, each declared
// where it occurs as a KnownDifference (record.ts) with its reason.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { cases } from "./cases/index";
import { loadLangGraph, loadRill } from "./graphLibrary";
import type { Outcome, Recording } from "./record";
import { comparable, runCase } from "./runCase";

const langgraph = await loadLangGraph();
const rill = await loadRill();

// LangGraph.js runs first, at load time, so that each recorded stream becomes its own test.
const expectedByCase = new Map<string, Recording | { crashed: unknown }>();
for (const testCase of cases) {
  try {
    expectedByCase.set(testCase.name, await runCase(testCase, langgraph));
  } catch (crashed) {
    expectedByCase.set(testCase.name, { crashed });
  }
}

for (const testCase of cases) {
  const expected = expectedByCase.get(testCase.name)!;
  if (!(expected instanceof Map)) {
    it(`${testCase.name}: the case runs on LangGraph.js`, () => {
      throw expected.crashed;
    });
    continue;
  }
  describe(testCase.name, () => {
    let actual: Recording | undefined;
    let crashed: unknown;
    before(async () => {
      try {
        actual = await runCase(testCase, rill);
      } catch (error) {
        crashed = error; // a case's own code failed on Rill (e.g. a builder method is missing)
      }
    });

    for (const [name, outcome] of expected) {
      it(name, () => {
        if (crashed) throw crashed;
        assert.ok(actual, "Rill did not run");
        const got = actual.get(name);
        assert.ok(got, `Rill's run never reached "${name}"`);
        if (outcome.knownDifference) {
          const { reason, rillExpectation } = outcome.knownDifference;
          const expectation = rillExpectation(outcome);
          assert.deepStrictEqual(comparable(got), comparable(expectation), `known difference (${reason}); ${describeOutcome(expectation)}`);
          return;
        }
        assert.deepStrictEqual(comparable(got), comparable(outcome), describeOutcome(outcome));
      });
    }
  });
}

function describeOutcome(outcome: Outcome): string {
  const thrown = outcome.error ? `, then throws ${outcome.error.constructor}: ${outcome.error.message.split("\n")[0]}` : "";
  return outcome.kind === "stream"
    ? `LangGraph.js streams ${outcome.chunks.length} chunks${thrown}`
    : `LangGraph.js ${outcome.error ? "throws" : "returns"}${thrown}`;
}
