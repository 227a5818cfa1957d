// A conditional edge: `path(state, config)` names where to go (a node, END, a Send, or an array),
// optionally through `pathMap`.
import { END } from "./constants";
import { InvalidUpdateError } from "./errors";
import { isSend, type Send } from "./send";

export type BranchResult = string | Send | Array<string | Send>;
export type BranchPath = (state: any, config: any) => BranchResult | Promise<BranchResult>;

export class Branch {
  readonly pathMap: Record<string, string> | undefined;

  constructor(
    readonly path: BranchPath,
    pathMap?: Record<string, string> | readonly string[],
  ) {
    if (Array.isArray(pathMap)) {
      const map: Record<string, string> = {};
      for (const name of pathMap) map[name] = name;
      this.pathMap = map;
    } else {
      this.pathMap = pathMap as Record<string, string> | undefined;
    }
  }

  /** Nodes (and END) this branch may go to, for drawing and validation; undefined means "any node". */
  get ends(): string[] | undefined {
    return this.pathMap ? Object.values(this.pathMap) : undefined;
  }

  /** Turns what `path` returned into destinations, with LangGraph.js's errors for bad ones. */
  resolve(result: BranchResult): Array<string | Send> {
    const list = Array.isArray(result) ? result : [result];
    const out: Array<string | Send> = [];
    for (const item of list) {
      let dest: string | Send | undefined;
      if (isSend(item)) dest = item;
      else if (this.pathMap) dest = this.pathMap[item as string];
      else dest = item;
      if (!dest) throw new Error("Branch condition returned unknown or null destination");
      if (isSend(dest) && dest.node === END) throw new InvalidUpdateError("Cannot send a packet to the END node");
      out.push(dest);
    }
    return out;
  }
}
