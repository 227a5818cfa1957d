// Which rows of a virtual list to put in the DOM this render. Creating a row (its elements, their
// style, first layout and paint) is most of what a list costs, and a list that follows a fast run can
// need a whole screen of new rows at once; on a cold page (the first run after loading, code not yet
// compiled) a screen of rows was a 13-16 ms render, the largest part of a long task. So a render creates
// at most `budget` rows the list did not already show, nearest the end it is moving to (the newest rows
// when following), and keeps every row it already shows; the list renders again for the rest, in a task
// of its own. Nothing is dropped: the deferred rows appear a task or two later.

export interface RowWindow {
  /** First row index in view (overscan included). */
  first: number;
  /** One past the last row index in view. */
  last: number;
}

export interface RowChoice {
  /** The rows to render, ascending. */
  indices: number[];
  /** True when some rows in the window were left for the next render. */
  deferred: boolean;
}

/**
 * The rows of `window` to render, given the rows rendered last time: all of those still in the window,
 * and up to `budget` others, taken from the bottom when `towardsEnd` (following, or scrolled down),
 * else from the top.
 */
export function chooseRows(window: RowWindow, previous: ReadonlySet<number>, budget: number, towardsEnd: boolean): RowChoice {
  const { first, last } = window;
  const chosen: number[] = [];
  let fresh = 0;
  let deferred = false;
  const take = (index: number) => {
    if (previous.has(index)) chosen.push(index);
    else if (fresh < budget) {
      chosen.push(index);
      fresh++;
    } else deferred = true;
  };
  if (towardsEnd) {
    for (let i = last - 1; i >= first; i--) take(i);
    chosen.reverse();
  } else {
    for (let i = first; i < last; i++) take(i);
  }
  return { indices: chosen, deferred };
}
