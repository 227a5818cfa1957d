import { test } from "node:test";
import assert from "node:assert/strict";
import { asksYesNo, interruptDetails, interruptQuestion, interruptSummary, parseResumeText } from "./interruptQuestion";

test("the question of an interrupt, from a string or an object's question", () => {
  assert.equal(interruptQuestion("Go on?"), "Go on?");
  assert.equal(interruptQuestion({ question: 'Approve topic "x"?', draft: 1 }), 'Approve topic "x"?');
  assert.equal(interruptQuestion({ message: "Pick one" }), "Pick one");
  assert.equal(interruptQuestion({ draft: 1 }), null);
  assert.equal(interruptQuestion([1]), null);
  assert.deepEqual(interruptDetails({ question: "Ok?", draft: 1 }), { draft: 1 });
  assert.equal(interruptDetails({ question: "Ok?" }), null);
});

test("yes/no questions are told from open ones", () => {
  assert.equal(asksYesNo('Approve topic "ice cream and cats"?'), true);
  assert.equal(asksYesNo("Should I continue?"), true);
  assert.equal(asksYesNo("What topic next?"), false);
  assert.equal(asksYesNo("Is it red or blue?"), false);
  assert.equal(asksYesNo("Approve the topic"), false);
  assert.equal(asksYesNo(null), false);
});

test("an interrupt row reads as its question", () => {
  assert.equal(interruptSummary([{ id: "a", value: { question: "Approve?" } }], JSON.stringify), "Approve?");
  assert.equal(interruptSummary([{ id: "a", value: { n: 1 } }], JSON.stringify), '{"n":1}');
});

test("the resume box sends JSON, plain words as text, and refuses broken JSON", () => {
  assert.deepEqual(parseResumeText('"yes"'), { ok: true, value: "yes", asJson: true });
  assert.deepEqual(parseResumeText('{"approved": true}'), { ok: true, value: { approved: true }, asJson: true });
  assert.deepEqual(parseResumeText("sure thing"), { ok: true, value: "sure thing", asJson: false });
  const broken = parseResumeText('{"approved": tru');
  assert.equal(broken.ok, false);
  assert.match(!broken.ok ? broken.message : "", /Not valid JSON/);
  assert.equal(parseResumeText('"yes').ok, false);
  assert.equal(parseResumeText("  ").ok, false);
});
