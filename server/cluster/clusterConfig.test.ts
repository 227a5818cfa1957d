// REDIS_URL makes a process one of a deployment: with DATABASE_URL only, its settings read with their
// defaults, and a bad combination stops the start naming the variables.
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../config";

const db = "postgres://postgres@127.0.0.1:5432/x";

describe("deployment settings", () => {
  it("are off without REDIS_URL", () => {
    assert.equal(loadConfig({ DATABASE_URL: db }, []).cluster, null);
  });

  it("read REDIS_URL, RILL_INSTANCE_ID, RILL_LEASE_MS and RILL_REDIS_PREFIX, with defaults", () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: db, REDIS_URL: "redis://127.0.0.1:6379/0" }, []).cluster, {
      redisUrl: "redis://127.0.0.1:6379/0",
      instanceId: `${hostname()}:${process.pid}`,
      leaseMs: 2500,
      redisPrefix: "rill:",
      role: "all",
      workerConcurrency: 0,
    });
    const set = loadConfig({ DATABASE_URL: db, REDIS_URL: "redis://r:1", RILL_INSTANCE_ID: "w-1", RILL_LEASE_MS: "5000", RILL_REDIS_PREFIX: "p:" }, []);
    assert.deepEqual(set.cluster, { redisUrl: "redis://r:1", instanceId: "w-1", leaseMs: 5000, redisPrefix: "p:", role: "all", workerConcurrency: 0 });
    const roles = loadConfig({ DATABASE_URL: db, REDIS_URL: "redis://r:1", RILL_ROLE: "api", RILL_WORKER_CONCURRENCY: "3" }, []).cluster;
    assert.deepEqual([roles?.role, roles?.workerConcurrency], ["api", 3]);
  });

  it("refuse REDIS_URL without PostgreSQL, a store other than postgres, or a URL that is not redis://", () => {
    assert.throws(() => loadConfig({ REDIS_URL: "redis://r:1" }, []), (error: unknown) => error instanceof ConfigError && /set DATABASE_URL/.test(error.message));
    assert.throws(() => loadConfig({ REDIS_URL: "redis://r:1", DATABASE_URL: db, RILL_STORE: "sqlite" }, []), /set DATABASE_URL \(and no other RILL_STORE\)/);
    assert.throws(() => loadConfig({ REDIS_URL: "http://u:secret@r:1", DATABASE_URL: db }, []), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      assert.doesNotMatch(error.message, /secret/, "the password is not repeated");
      return true;
    });
    assert.throws(() => loadConfig({ REDIS_URL: "redis://r:1", DATABASE_URL: db, RILL_LEASE_MS: "10" }, []), /RILL_LEASE_MS/);
  });

  it("refuse a bad RILL_ROLE or RILL_WORKER_CONCURRENCY, and either without a deployment, naming the variable", () => {
    const deployment = { REDIS_URL: "redis://r:1", DATABASE_URL: db };
    assert.throws(() => loadConfig({ ...deployment, RILL_ROLE: "boss" }, []), /RILL_ROLE must be one of api, worker, all, got "boss"/);
    assert.throws(() => loadConfig({ ...deployment, RILL_WORKER_CONCURRENCY: "0" }, []), /RILL_WORKER_CONCURRENCY must be between 1/);
    assert.throws(() => loadConfig({ ...deployment, RILL_WORKER_CONCURRENCY: "ten" }, []), /RILL_WORKER_CONCURRENCY must be a whole number/);
    assert.throws(() => loadConfig({ DATABASE_URL: db, RILL_ROLE: "api" }, []), /RILL_ROLE applies to a deployment: set REDIS_URL/);
  });
});

describe("joining a deployment", () => {
  it("fails within the connect timeout naming Redis's host and port when nothing answers there", async () => {
    const { ClusterNode } = await import("./clusterNode");
    const limits = { maxEventsPerRun: 10, maxBytesPerRun: 1e6, maxRuns: 10, maxTotalBytes: 1e7, maxAgeMs: 1000 };
    const cluster = { redisUrl: "redis://127.0.0.1:1/0", instanceId: "t", leaseMs: 2500, redisPrefix: "t:", role: "all" as const, workerConcurrency: 0 };
    await assert.rejects(ClusterNode.open(cluster, db, limits, () => undefined), /cannot connect to Redis at 127\.0\.0\.1:1\/0 \(REDIS_URL\)/);
  });
});
