// Keeps a scroll container pinned to its newest content while the user has not scrolled away.
// "Scrolled away" is read from the direction of a scroll, not from geometry at the time of the scroll
// event: content may grow between a pin and the scroll event it causes, and that must not count as
// the user leaving the bottom. Pins happen in a ResizeObserver callback (after the browser's layout for
// the frame), so following never forces a synchronous layout during React's commit.

export interface BottomFollower {
  /** True while the view is pinned to the newest content. */
  readonly following: boolean;
  disconnect(): void;
}

export function followBottom(scroller: HTMLElement, content: HTMLElement, slack = 8): BottomFollower {
  let following = true;
  let pinnedTop = 0;
  const pin = () => {
    if (!following) return;
    scroller.scrollTop = scroller.scrollHeight;
    pinnedTop = scroller.scrollTop;
  };
  const onScroll = () => {
    const top = scroller.scrollTop;
    // At the bottom (also after the browser clamped the position because content shrank): following.
    if (top + scroller.clientHeight >= scroller.scrollHeight - slack) {
      following = true;
      pinnedTop = top;
    } else if (top < pinnedTop - 1) {
      following = false;
    }
  };
  const observer = new ResizeObserver(pin);
  observer.observe(content);
  observer.observe(scroller);
  scroller.addEventListener("scroll", onScroll, { passive: true });
  return {
    get following() {
      return following;
    },
    disconnect() {
      observer.disconnect();
      scroller.removeEventListener("scroll", onScroll);
    },
  };
}
