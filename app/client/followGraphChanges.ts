// Keeps a page's graph list current while the server reloads graphs (a project served by `npm run dev`):
// long-polls graphs.changed and calls `refetch` after each change. Stops when the server says its graphs
// are not watched (nothing to follow), when `live()` turns false, or on the first failed request.
import type { GraphsRevision } from "../../server/project/graphChanges";

export type ChangedQuery = (input: { since: number } | undefined) => Promise<GraphsRevision>;

export async function followGraphChanges(changed: ChangedQuery, refetch: () => Promise<void>, live: () => boolean): Promise<void> {
  let { revision, watching } = await changed(undefined);
  while (live() && watching) {
    const next = await changed({ since: revision });
    if (!live()) return;
    if (next.revision !== revision) await refetch();
    ({ revision, watching } = next);
  }
}
