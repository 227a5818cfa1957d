// LangGraph's checkpoint-validation suite (@langchain/langgraph-checkpoint-validation, vitest-based)
// against Rill's savers: `npx vitest run --config lib/graph/checkpoint/validation/vitest.config.mts`
// (npm run test:unit runs it after the node:test files).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    globals: true,
    include: ["*.validation.ts"],
    reporters: ["default"],
    testTimeout: 20_000,
  },
});
