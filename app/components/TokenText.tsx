"use client";
// Streamed tokens as text, in runs of CHUNK tokens: while a message grows, React renders again only its
// last run. Each token is its own span (data-token), so token boundaries can be shown and counted.
import { memo } from "react";

const CHUNK = 200;

export function TokenText({ tokens, count }: { tokens: readonly string[]; count: number }) {
  const chunks: number[] = [];
  for (let start = 0; start < count; start += CHUNK) chunks.push(start);
  return (
    <>
      {chunks.map((start) => (
        <TokenChunk key={start} tokens={tokens} start={start} end={Math.min(count, start + CHUNK)} />
      ))}
    </>
  );
}

/** A run of up to CHUNK tokens. No element of its own. */
const TokenChunk = memo(function TokenChunk({ tokens, start, end }: { tokens: readonly string[]; start: number; end: number }) {
  const spans = [];
  for (let i = start; i < end; i++) {
    spans.push(
      <span key={i} data-token="">
        {tokens[i]}
      </span>,
    );
  }
  return <>{spans}</>;
});
