// RILL_TOKEN's forms: a bare token (one identity) or name:token pairs; bad values fail the start, naming the entry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenMatches } from "../access";
import { loadConfig } from "../config";
import { bearerTokenOf, identityForToken, parseTokens } from "./tokenAuth";

describe("RILL_TOKEN", () => {
  it("a bare token is the identity 'default'", () => {
    const tokens = parseTokens("s3cret-token");
    assert.equal(identityForToken(tokens, "s3cret-token"), "default");
    assert.equal(identityForToken(tokens, "s3cret-tokeN"), null);
    assert.equal(identityForToken(tokens, ""), null);
    assert.equal(identityForToken(tokens, undefined), null);
  });

  it("name:token pairs give each token its name", () => {
    const tokens = parseTokens(" alice:s1 , bob:s2:with-colon,ci-bot@example:s3");
    assert.equal(identityForToken(tokens, "s1"), "alice");
    assert.equal(identityForToken(tokens, "s2:with-colon"), "bob");
    assert.equal(identityForToken(tokens, "s3"), "ci-bot@example");
    assert.equal(identityForToken(tokens, "alice:s1"), null);
    assert.equal(identityForToken(tokens, "s2"), null);
  });

  it("a bad list fails the start with the entry and the problem", () => {
    assert.throws(() => loadConfig({ RILL_TOKEN: "alice:s1,bob" }), /RILL_TOKEN entry 2: "bob…" is not name:token/);
    assert.throws(() => loadConfig({ RILL_TOKEN: "alice:s1,:s2" }), /RILL_TOKEN entry 2: the name "" must be/);
    assert.throws(() => loadConfig({ RILL_TOKEN: "alice:" }), /RILL_TOKEN entry 1 \("alice"\): the token is empty/);
    assert.throws(() => loadConfig({ RILL_TOKEN: "alice:s1,bob:s1" }), /entry 2 \("bob"\): the same token is given to two names/);
    assert.equal(loadConfig({ RILL_TOKEN: "alice:s1,bob:s2" }).token, "alice:s1,bob:s2");
  });

  it("reads Bearer tokens without a pattern, in any case, and nothing else", () => {
    assert.equal(bearerTokenOf("Bearer abc"), "abc");
    assert.equal(bearerTokenOf("bearer   abc  "), "abc");
    assert.equal(bearerTokenOf("Basic abc"), undefined);
    assert.equal(bearerTokenOf("Bearerabc"), undefined);
    assert.equal(bearerTokenOf("Bearer "), undefined);
    assert.equal(bearerTokenOf(undefined), undefined);
    assert.equal(bearerTokenOf(`Bearer ${" ".repeat(100_000)}x`), "x");
  });

  it("tokenMatches (what /v1 checks) accepts any of the named tokens, and anything when none is set", () => {
    assert.equal(tokenMatches("alice:s1,bob:s2", "s2"), true);
    assert.equal(tokenMatches("alice:s1,bob:s2", "alice:s1"), false);
    assert.equal(tokenMatches("s3cret", "s3cret"), true);
    assert.equal(tokenMatches("s3cret", undefined), false);
    assert.equal(tokenMatches(undefined, undefined), true);
  });
});
