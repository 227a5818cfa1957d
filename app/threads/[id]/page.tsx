import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Playground } from "../../components/Playground";
import { playgroundThreadExists } from "../../../server/playgroundRunLookup";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Thread ${id} · Rill playground` };
}

/**
 * `/threads/<id>`: the thread's latest run, its state and its history; 404 for a thread the server does not
 * have. A thread belongs to the identity that made it (the tab's token), which this server-rendered page
 * does not know, so another identity's thread is said on the page (threads.get answers NOT_FOUND).
 */
export default async function ThreadPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const threadId = decodeURIComponent(id);
  if ((await playgroundThreadExists(threadId)) === false) notFound();
  return <Playground threadId={threadId} />;
}
