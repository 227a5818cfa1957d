// Peak memory of a long run, measured in a fresh child process so that nothing else the benchmark
// did (other graphs, LangGraph.js's heap) is counted.
//
// Method: the child (engineMemoryProbe.ts, run with --expose-gc) loads the library, runs a short
// warm-up of the same graph, collects garbage and records `process.memoryUsage()` as the idle
// baseline. It then streams the 10,000-step loop in "updates" mode, consuming every chunk, and
// samples rss / heapUsed / external+arrayBuffers every 25 chunks and from a 1 ms timer. The figure
// is the peak minus the idle baseline. The peak includes garbage not yet collected: that is memory
// the process really holds at that moment. After the run it collects garbage again and reports
// what stayed (a leak shows there).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MemoryProbeResult } from "./engineMemoryProbe";

const probe = fileURLToPath(new URL("./engineMemoryProbe.ts", import.meta.url));

export interface PeakMemory {
  result: MemoryProbeResult;
  /** Peak minus idle, in MB (2^20 bytes). */
  rssMb: number;
  heapMb: number;
  retainedHeapMb: number;
}

const MB = 1024 * 1024;

export function measurePeakMemory(library: "rill" | "langgraph", steps: number): Promise<PeakMemory> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", probe, library, String(steps)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1);
      if (code !== 0 || !line) {
        reject(new Error(`memory probe (${library}, ${steps} steps) exited with ${code}: ${stderr.trim()}`));
        return;
      }
      const result = JSON.parse(line) as MemoryProbeResult;
      resolve({
        result,
        rssMb: (result.peak.rss - result.idle.rss) / MB,
        heapMb: (result.peak.heapUsed - result.idle.heapUsed) / MB,
        retainedHeapMb: (result.retained.heapUsed - result.idle.heapUsed) / MB,
      });
    });
  });
}
