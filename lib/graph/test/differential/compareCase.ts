// Prints where Rill and LangGraph.js differ, one chunk per line, for the engine's developers:
//   npx tsx lib/graph/test/differential/compareCase.ts "<case name part>" ["<recording name part>"]
import { cases } from "./cases/index";
import { loadLangGraph, loadRill } from "./graphLibrary";
import { comparable, runCase } from "./runCase";

const [caseFilter = "", recordingFilter = ""] = process.argv.slice(2);
const [langgraph, rill] = [await loadLangGraph(), await loadRill()];

const lines = (value: unknown): string[] => {
  const v = value as { chunks?: unknown[]; value?: unknown; error: unknown };
  const out = v.chunks ? v.chunks.map((c) => JSON.stringify(c)) : [JSON.stringify(v.value)];
  if (v.error) out.push(`THROWS ${JSON.stringify(v.error)}`);
  return out;
};

for (const testCase of cases.filter((c) => c.name.includes(caseFilter))) {
  const expected = await runCase(testCase, langgraph);
  const actual = await runCase(testCase, rill);
  for (const [name, outcome] of expected) {
    if (!name.includes(recordingFilter)) continue;
    const want = lines(comparable(outcome));
    const gotOutcome = actual.get(name);
    const got = gotOutcome ? lines(comparable(gotOutcome)) : ["(not recorded)"];
    if (JSON.stringify(want) === JSON.stringify(got)) continue;
    console.log(`\n### ${testCase.name} / ${name}`);
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      if (want[i] === got[i]) console.log(`  = ${want[i]}`);
      else {
        if (want[i] !== undefined) console.log(`  - LangGraph.js ${want[i]}`);
        if (got[i] !== undefined) console.log(`  + Rill         ${got[i]}`);
      }
    }
  }
}
