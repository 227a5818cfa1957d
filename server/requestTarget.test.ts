// What requestTarget lets through (every Host and URL a browser, curl or tRPC client sends) and what it
// answers with a 400 (what would make a handler throw). The attack suite checks the answers end to end.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostProblem, urlProblem } from "./requestTarget";

describe("requestTarget", () => {
  it("accepts the hosts clients send", () => {
    for (const host of [undefined, "localhost", "localhost:3000", "127.0.0.1:41234", "[::1]:3000", "[::1]", "rill.example.com", "my-host_1.internal:8080", "xn--vil-9la.example"]) {
      assert.equal(hostProblem(host), null, String(host));
    }
  });

  it("names a Host that is empty, not a host[:port], or has a port past 65535", () => {
    assert.match(hostProblem("")!, /Host header is empty/);
    for (const host of ["[", "[::1", "a b", "a/b", "user@host", "évil.example", "host:port"]) {
      assert.match(hostProblem(host)!, /is not a host\[:port\]/, host);
    }
    assert.match(hostProblem("localhost:99999")!, /is not a valid host\[:port\]/);
    assert.match(hostProblem(`[${"x".repeat(10_000)}`)!, /"\[x{99}…"/, "a long Host is shown cut short");
  });

  it("accepts the URLs clients send", () => {
    for (const url of [
      "/",
      "/runs/run_0123456789abcdef",
      "/runs/%C3%A9t%C3%A9",
      "/_next/static/chunks/app.js?v=1",
      `/api/trpc/graphs.list,system.info?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { a: "é 100%" } }))}`,
      "/v1/chat/completions",
    ]) {
      assert.equal(urlProblem(url, "localhost:3000"), null, url);
    }
  });

  it("names a URL with a malformed percent-escape, or that is not a URL", () => {
    for (const url of ["/runs/%E0%A4%A", "/x?input=%", "/%zz", "/api/trpc/system.info?input=%FF"]) {
      assert.match(urlProblem(url, "localhost")!, /malformed percent-escape/, url);
    }
    assert.match(urlProblem("//[", "localhost")!, /is not a valid URL/);
  });

  it("names a target that is not a path", () => {
    for (const url of ["*", "http://example.com/runs/abc", "example.com:443"]) {
      assert.match(urlProblem(url, "localhost")!, /is not a path/, url);
    }
  });
});
