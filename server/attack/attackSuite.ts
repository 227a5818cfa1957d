// Runs every attack case against a server in its own process while a bystander streams a long run on
// its own connection. After each attack: the answer was right (the case asserts it), the server process
// is up, and the bystander received more events. At the end: the bystander lost and duplicated nothing
// on its one connection, and the server wrote no stack trace.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackCases } from "./attack.cases";
import { startAttackTarget, type AttackTarget } from "./attackTargetProcess";
import { startBystander, type Bystander } from "./bystander";

export function attackSuite(title: string, options: { next: boolean }): void {
  describe(title, { timeout: 300_000 }, () => {
    let target: AttackTarget;
    let bystander: Bystander;
    before(async () => {
      target = await startAttackTarget(options);
      bystander = await startBystander(target);
    });
    after(async () => {
      await target?.stop();
    });

    for (const attack of attackCases) {
      it(attack.name, { timeout: 60_000 }, async () => {
        const seen = bystander.received();
        await attack.run({ target, bystanderRunId: bystander.runId });
        assert.ok(target.alive(), `the server process is up:\n${target.stderr()}`);
        await bystander.receivedMoreThan(seen);
      });
    }

    it("the bystander's run lost and duplicated nothing, on one connection, and nothing threw", async () => {
      assert.ok(target.alive(), `the server process is up:\n${target.stderr()}`);
      await bystander.finish();
      assert.doesNotMatch(target.stderr(), /\n\s+at /, "no stack trace on the server's stderr");
    });
  });
}
