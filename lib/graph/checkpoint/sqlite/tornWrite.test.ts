// A process killed with SIGKILL while it writes checkpoints leaves a store that opens, passes SQLite's
// integrity check and holds every run the process had seen committed, with its whole state.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteSaver } from "./sqliteSaver";

const dir = mkdtempSync(join(tmpdir(), "rill-torn-"));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const commitThread of [false, true]) it(`survives SIGKILL mid-write: the store opens intact with the last committed checkpoint (commitThread: ${commitThread})`, async () => {
  const file = join(dir, `torn-${commitThread}.db`);
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./test/tornWriter.ts", import.meta.url)), file, String(commitThread)], { stdio: ["ignore", "pipe", "inherit"] });
  let lastCommitted = 0;
  let buffered = "";
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`the writer exited early (code ${code})`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith("committed ")) lastCommitted = Number(line.slice(10));
      // Kill once a few runs have committed: the writer is then always inside its next run's writes.
      if (lastCommitted >= 3 && child.exitCode === null) {
        child.kill("SIGKILL");
        resolve();
      }
    });
  });
  assert.equal(await exited, "SIGKILL");

  const saver = new SqliteSaver(file);
  try {
    assert.equal(saver.db.pragma("integrity_check", { simple: true }), "ok");
    const latest = await saver.getTuple({ configurable: { thread_id: "torn" } });
    assert.ok(latest !== undefined);
    const values = latest.checkpoint.channel_values as { run: number; n: number; payload: string };
    assert.ok(values.run >= lastCommitted, `the latest checkpoint is of run ${values.run}, at least the last committed (${lastCommitted})`);
    assert.equal(values.payload.length, values.n === 0 ? 0 : 64 * 1024, "the state is whole");
    // The last run reported committed is there in full: its final checkpoint (n = 40) and all before it.
    let finalOfCommitted = 0;
    for await (const tuple of saver.list({ configurable: { thread_id: "torn" } })) {
      const v = tuple.checkpoint.channel_values as { run?: number; n: number; payload: string };
      if (tuple.metadata?.step === -1) continue; // the input checkpoint: the state is still empty
      assert.equal(typeof v.payload, "string", `checkpoint ${tuple.checkpoint.id} reads back whole`);
      if (v.run === lastCommitted && v.n === 40) finalOfCommitted++;
    }
    assert.equal(finalOfCommitted, 1);
  } finally {
    await saver.close();
  }
});
