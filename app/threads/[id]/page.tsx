import type { Metadata } from "next";
import { Playground } from "../../components/Playground";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Thread ${id} · Rill playground` };
}

/**
 * `/threads/<id>`: the thread's latest run, its state and its history. A thread belongs to the identity
 * that made it (the tab's token), which this server-rendered page does not know, so an unknown thread is
 * said on the page (from threads.get) rather than by a 404 status.
 */
export default async function ThreadPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Playground threadId={decodeURIComponent(id)} />;
}
