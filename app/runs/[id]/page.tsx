import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Playground } from "../../components/Playground";
import { playgroundRunExists } from "../../../server/playgroundRunLookup";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${id} · Rill playground` };
}

/** `/runs/<id>`: joins the run live, or replays it when it has finished; 404 for a run the server does not have. */
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const runId = decodeURIComponent(id);
  if (playgroundRunExists(runId) === false) notFound();
  return <Playground runId={runId} />;
}
