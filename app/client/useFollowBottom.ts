"use client";
// followBottom as a hook: refs for a scroll container and its content, pinned to the newest content
// while `active` (the view has something to show; the elements exist only then).
import { useEffect, useRef, type RefObject } from "react";
import { followBottom } from "./followBottom";

export function useFollowBottom<Scroller extends HTMLElement, Content extends HTMLElement>(
  active: boolean,
  slack = 24,
): { scroller: RefObject<Scroller | null>; content: RefObject<Content | null> } {
  const scroller = useRef<Scroller>(null);
  const content = useRef<Content>(null);
  useEffect(() => {
    const el = scroller.current;
    const body = content.current;
    if (!el || !body) return;
    const follower = followBottom(el, body, slack);
    return () => follower.disconnect();
  }, [active, slack]);
  return { scroller, content };
}
