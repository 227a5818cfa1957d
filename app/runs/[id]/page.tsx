import type { Metadata } from "next";
import { Playground } from "../../components/Playground";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${id} · Rill playground` };
}

/** `/runs/<id>`: joins the run live, or replays it when it has finished. */
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Playground runId={decodeURIComponent(id)} />;
}
