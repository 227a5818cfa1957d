// Start-up with a store that cannot be opened fails at once, naming what is wrong: a data directory that
// cannot be created, a PostgreSQL that does not answer (host and port, within the connect timeout).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "rill-startup-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, PORT: "0", RILL_CONFIG: "", DATABASE_URL: "", RILL_STORE: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("start-up with a store that cannot be opened", () => {
  it("fails naming a data directory that cannot be created", () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "not a directory");
    const dataDir = path.join(file, "data");
    const result = start({ RILL_DATA_DIR: dataDir });
    assert.notEqual(result.status, 0);
    assert.ok(result.stderr.includes(dataDir), result.stderr);
    assert.match(result.stderr, /RILL_DATA_DIR/);
  });

  it("fails naming host and port when DATABASE_URL does not answer", () => {
    const result = start({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/rill" });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /127\.0\.0\.1:1\/rill/);
  });
});
