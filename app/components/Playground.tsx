"use client";
// The playground page: owns the connection, the run store and the run session, and hands each panel the
// slice of the run it shows. Panels receive data; only this component talks to the server (through
// RunSession and the two hooks).
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { StreamMode } from "../../lib/graph/types";
import { isTerminalStatus } from "../../lib/run/runStatus";
import { readAccessToken, saveAccessToken } from "../client/accessToken";
import { schemaTakesMessages, stateMessages } from "../client/chatTranscript";
import { checkInput } from "../client/inputValidation";
import { LiveRunStore } from "../client/liveRunStore";
import { nestTasks } from "../client/nestedTasks";
import { nodesOfStep } from "../client/stepSelection";
import { matchesNodeFilter } from "../client/subgraphScope";
import { RunSession } from "../client/runSession";
import { createRillConnection, type RillConnection } from "../client/trpcClient";
import { useConnectionStatus } from "../client/useConnectionStatus";
import { usePacedViews, type PanelSlice } from "../client/usePacedViews";
import { useServerInfo } from "../client/useServerInfo";
import { THREAD_RUNS_SEARCH } from "../client/useThread";
import type { RunListItem } from "../client/runSummary";
import { ConnectionIndicator } from "./ConnectionIndicator";
import { Controls, PLAYGROUND_MODES } from "./Controls";
import { ChatPanel } from "./ChatPanel";
import { CustomPanel } from "./CustomPanel";
import { DebugTimeline } from "./DebugTimeline";
import { GraphDiagram } from "./GraphDiagram";
import { RawPanel } from "./RawPanel";
import { ResumeForm } from "./ResumeForm";
import { RunBar } from "./RunBar";
import { RunErrorDetail } from "./RunErrorDetail";
import { RecentRuns } from "./RecentRuns";
import { RecentThreads } from "./RecentThreads";
import { ThreadSection } from "./ThreadSection";
import { StatePanel } from "./StatePanel";
import { ThemeToggle } from "./ThemeToggle";
import { TokenControl } from "./TokenControl";
import { TokenPanel } from "./TokenPanel";
import { TokensViewSwitch, type TokensView } from "./TokensViewSwitch";
import { UpdatesPanel } from "./UpdatesPanel";

export function Playground({ runId, threadId }: { runId?: string; threadId?: string }) {
  const [connection, setConnection] = useState<RillConnection | null>(null);
  // The tab's access token (undefined until read from sessionStorage, after hydration): a new token is a
  // new connection, so every call and the socket carry it.
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => setToken(readAccessToken()), []);
  useEffect(() => {
    if (token === undefined) return;
    const created = createRillConnection(token);
    setConnection(created);
    return () => created.close();
  }, [token]);
  // A call the server refused for want of a (valid) token since this connection opened (its message).
  const [callRefused, setCallRefused] = useState<string | null>(null);
  const onToken = useCallback((value: string | null) => {
    saveAccessToken(value);
    setCallRefused(null);
    setToken(value);
  }, []);
  const connectionStatus = useConnectionStatus(connection);
  const server = useServerInfo(connection);

  const [store] = useState(() => new LiveRunStore());
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const run = view.run;
  // Tokens and the run bar follow every frame; the other panels at most every 200 ms and one per frame
  // (see usePacedViews).
  const paced = usePacedViews(view, PANEL_SLICES, 200);

  const [graphId, setGraphId] = useState("");
  const [editedInputs, setEditedInputs] = useState<Record<string, string>>({});
  const [modes, setModes] = useState<StreamMode[]>([...PLAYGROUND_MODES]);
  const [recursionLimitText, setRecursionLimitText] = useState("");
  const [rejection, setRejection] = useState<string | null>(null);
  const [nodeFilter, setNodeFilter] = useState<string | null>(null);
  // Tokens or chat in the tokens panel's place, as the user chose; chat graphs start on chat.
  const [tokensViewChoice, setTokensViewChoice] = useState<TokensView | null>(null);
  // The step selected across the panels (scrubber, timeline row, update); null follows the run.
  const [selectedStep, setSelectedStep] = useState<number | null>(null);
  const [resumeState, setResumeState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  // The shown run's own graph, input and modes (runs.get), which Rerun starts again.
  const [routeRunInfo, setRouteRunInfo] = useState<RunListItem | null>(null);

  // The run the URL names: the page's own route at first, then whatever Back and Forward bring (the page
  // puts /runs/<id> in the URL itself, so Next does not render a new page for it).
  const [routeRunId, setRouteRunId] = useState(runId);
  useEffect(() => setRouteRunId(runId), [runId]);
  // The thread the URL names (`/threads/<id>`): its latest run is shown, and runs on it keep the URL.
  const [routeThreadId, setRouteThreadId] = useState(threadId);
  useEffect(() => setRouteThreadId(threadId), [threadId]);
  const routeThreadRef = useRef(routeThreadId);
  routeThreadRef.current = routeThreadId;
  // The thread section is open on a thread's page; elsewhere it opens on a click (and only then fetches).
  const [threadOpen, setThreadOpen] = useState(threadId !== undefined);
  useEffect(() => {
    const onPopState = () => {
      setRouteThreadId(threadIdOfPath(window.location.pathname));
      setRouteRunId(runIdOfPath(window.location.pathname));
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  const session = useMemo(
    () =>
      connection
        ? new RunSession(connection.trpc, connection.feed, store, {
            onRunId: (id) => {
              const path = `/runs/${id}`;
              // On a thread's page the URL stays the thread's: its runs show there.
              const onRouteThread = routeThreadRef.current !== undefined && store.data.threadId === routeThreadRef.current;
              if (!onRouteThread && window.location.pathname !== path) window.history.pushState(null, "", path);
              if (!onRouteThread) setRouteThreadId(undefined);
              setRouteRunId(id);
              // The form shows the run's graph (a joined run may be of another than the one picked).
              const shownGraph = store.data.graphId;
              if (shownGraph) setGraphId(shownGraph);
            },
            // A refused start is about the input: show it under the editor. A refused join (unknown
            // run) is shown in the run bar only, from the store's failure.
            onRejected: (message, startedHere) => {
              if (startedHere) setRejection(message);
            },
            onRefused: (message) => setCallRefused(message),
          })
        : null,
    [connection, store],
  );

  useEffect(() => () => session?.stop(), [session]);
  // Another run on screen: nothing of it is selected yet.
  useEffect(() => setSelectedStep(null), [view.runId]);
  // Show the run the URL names (join it live or replay it), or nothing on "/". A run this tab started
  // is already shown when its id reaches the URL.
  useEffect(() => {
    if (!session) return;
    if (routeRunId) {
      if (store.data.runId !== routeRunId) session.join(routeRunId);
    } else if (!routeThreadId && store.data.runId !== null) {
      session.stop();
      store.reset("idle");
    }
  }, [session, store, routeRunId, routeThreadId]);

  // A thread's page shows its latest run (threads.get names it); a thread not found says so in its section.
  useEffect(() => {
    if (!connection || !routeThreadId) return;
    setThreadOpen(true);
    let current = true;
    connection.trpc.threads.get.query({ threadId: routeThreadId }).then(
      async (thread) => {
        if (!current) return;
        setGraphId(thread.graphId);
        // The run going on it, else its newest (runs.list is newest first).
        const latest = thread.runId ?? (await connection.trpc.runs.list.query({ graphId: thread.graphId, limit: THREAD_RUNS_SEARCH })).find((r) => r.threadId === routeThreadId)?.runId;
        if (current && latest) setRouteRunId(latest);
      },
    ).catch(() => undefined); // An unknown thread: its section says so (useThread).
    return () => {
      current = false;
    };
  }, [connection, routeThreadId]);

  // A joined run's own input and modes go into the form (its graph follows from the run's metadata).
  useEffect(() => {
    setRouteRunInfo(null);
    if (!connection || !routeRunId) return;
    let current = true;
    connection.trpc.runs.get.query({ runId: routeRunId }).then(
      (info) => {
        if (!current) return;
        setRouteRunInfo(info);
        // A run that continued its thread (input null) has no input of its own: the form keeps its own.
        if (info.input !== null) setEditedInputs((prev) => ({ ...prev, [info.graphId]: JSON.stringify(info.input, null, 2) }));
        const shown = PLAYGROUND_MODES.filter((m) => info.streamMode.includes(m));
        if (shown.length > 0) setModes(shown);
      },
      () => {
        // Unknown or not visible: the run bar says so from the failed join.
      },
    );
    return () => {
      current = false;
    };
  }, [connection, routeRunId]);

  useEffect(() => {
    if (!session) return;
    const persist = () => session.persist();
    window.addEventListener("pagehide", persist);
    return () => window.removeEventListener("pagehide", persist);
  }, [session]);

  // Pick a graph once the list arrives: the joined run's, else the seed's joke graph, else the first.
  const runGraphId = run.graphId;
  useEffect(() => {
    if (server.graphs.length === 0) return;
    if (runGraphId && server.graphs.some((g) => g.id === runGraphId)) {
      setGraphId((current) => (current === "" || routeRunId ? runGraphId : current));
      return;
    }
    setGraphId((current) => current || (server.graphs.find((g) => g.id === "joke") ?? server.graphs[0]!).id);
  }, [server.graphs, runGraphId, routeRunId]);

  const graph = server.graphs.find((g) => g.id === graphId);
  const exampleText = graph ? JSON.stringify(graph.exampleInput, null, 2) : "";
  const inputText = editedInputs[graphId] ?? exampleText;
  const check = useMemo(() => (graph ? checkInput(inputText, graph.inputSchema) : null), [graph, inputText]);
  const inputProblem = check && !check.ok ? check.message : rejection;

  const status = view.status;
  const busy = status === "connecting";
  const active = status === "running" || status === "interrupted" || status === "connecting";
  const maxRecursionLimit = server.system?.limits.maxRecursionLimit;
  const recursionLimit = useMemo(() => parseRecursionLimit(recursionLimitText, maxRecursionLimit), [recursionLimitText, maxRecursionLimit]);
  const modesProblem = modes.length === 0 ? "Turn on at least one stream mode: a run with none would show nothing." : null;
  // One run at a time on screen: Run waits while the shown run is going or waiting for input.
  const runBlocked = active ? (status === "interrupted" ? "This run is waiting for input: resume or cancel it first." : "A run is in progress: wait for it or cancel it.") : null;
  const canRerun = session !== null && routeRunInfo !== null && routeRunInfo.runId === view.runId && !active;
  const canRun = session !== null && graph !== undefined && check?.ok === true && recursionLimit.ok && modesProblem === null && !active;

  const onRun = useCallback(() => {
    setRejection(null);
    setResumeState({ busy: false, error: null });
    if (!session || !graph || !check?.ok || !recursionLimit.ok || modes.length === 0) return;
    session.start({
      graphId: graph.id,
      input: check.value,
      streamMode: modes,
      // Subgraph events carry their namespace; a graph without subgraphs streams exactly as without it.
      subgraphs: true,
      config: recursionLimit.value === null ? undefined : { recursionLimit: recursionLimit.value },
    });
  }, [session, graph, check, modes, recursionLimit]);

  // Rerun: a new run of the shown run's graph with its input and modes.
  const onRerun = useCallback(() => {
    if (!session || !routeRunInfo) return;
    setRejection(null);
    setResumeState({ busy: false, error: null });
    setNodeFilter(null);
    session.start({ graphId: routeRunInfo.graphId, input: routeRunInfo.input, streamMode: routeRunInfo.streamMode, subgraphs: routeRunInfo.subgraphs === true });
  }, [session, routeRunInfo]);

  // A run picked in the runs list opens in this page, as Back and Forward do.
  const onOpenRun = useCallback((id: string) => {
    const path = `/runs/${encodeURIComponent(id)}`;
    if (window.location.pathname !== path) window.history.pushState(null, "", path);
    setNodeFilter(null);
    setRouteThreadId(undefined);
    setRouteRunId(id);
  }, []);

  // A thread picked in the threads list opens its page here (its latest run, its history).
  const onOpenThread = useCallback((id: string) => {
    const path = `/threads/${encodeURIComponent(id)}`;
    if (window.location.pathname !== path) window.history.pushState(null, "", path);
    setNodeFilter(null);
    setRouteThreadId(id);
    setThreadOpen(true);
  }, []);

  const onResume = useCallback(
    (value: unknown) => {
      if (!session) return;
      setResumeState({ busy: true, error: null });
      session.resume(value).then(
        () => setResumeState({ busy: false, error: null }),
        (error: unknown) => setResumeState({ busy: false, error: error instanceof Error ? error.message : String(error) }),
      );
    },
    [session],
  );

  // Stable callbacks: the controls are memoized and the page renders every frame while a run streams.
  // Another graph: the old run leaves the screen (Back brings it again), so diagram and panels are this graph's.
  const onGraphChange = useCallback(
    (id: string) => {
      setGraphId(id);
      setRejection(null);
      setNodeFilter(null);
      if (store.data.graphId !== null && store.data.graphId !== id) {
        session?.stop();
        store.reset("idle");
        if (window.location.pathname !== "/") window.history.pushState(null, "", "/");
        setRouteThreadId(undefined);
        setRouteRunId(undefined);
      }
    },
    [session, store],
  );
  const onInputChange = useCallback(
    (text: string) => {
      setEditedInputs((prev) => ({ ...prev, [graphId]: text }));
      setRejection(null);
    },
    [graphId],
  );
  const onResetInput = useCallback(() => {
    setEditedInputs((prev) => {
      const next = { ...prev };
      delete next[graphId];
      return next;
    });
    setRejection(null);
  }, [graphId]);
  const onCancel = useCallback(() => {
    void session?.cancel().catch((error: unknown) => store.setFailure(error instanceof Error ? error.message : String(error)));
  }, [session, store]);

  // A node picked in the diagram: Updates, Tokens and the timeline show only its entries. Unfiltered, the
  // panels get the run's own arrays (nothing is copied).
  const updatesCount = paced.updates.updatesCount;
  const shownUpdates = useMemo(
    () => (nodeFilter ? run.updates.slice(0, updatesCount).filter((u) => matchesNodeFilter(u.nodeKey, nodeFilter)) : run.updates),
    [nodeFilter, run, updatesCount],
  );
  const messagesVersion = view.messagesVersion;
  const shownMessages = useMemo(() => (nodeFilter ? run.messages.filter((m) => matchesNodeFilter(m.nodeKey, nodeFilter)) : run.messages), [nodeFilter, run, messagesVersion]);
  const tasksVersion = paced.timeline.tasksVersion;
  // Tasks inside subgraphs go under their parent task; a run without any shows the run's own array.
  const shownTasks = useMemo(() => {
    const tasks = run.subgraphTasks > 0 ? nestTasks(run.tasks, run.tasks.length) : run.tasks;
    return nodeFilter ? tasks.filter((t) => matchesNodeFilter(t.nodeKey, nodeFilter)) : tasks;
  }, [nodeFilter, run, tasksVersion]);

  // The diagram marks the nodes that ran in the selected step.
  const stepNodes = useMemo(() => nodesOfStep(selectedStep, run.tasks, run.updates), [selectedStep, run, paced.diagram.nodesVersion]);

  const requested = (mode: StreamMode) => (run.streamModes.length > 0 ? run.streamModes.includes(mode) : modes.includes(mode));
  const diagramGraph = server.graphs.find((g) => g.id === (run.graphId ?? graphId));
  const model = run.model ?? server.system?.model.label ?? null;
  // A graph whose state holds messages gets the chat view (its input takes messages, or its state has them).
  const latestState = view.valuesCount > 0 ? run.values[view.valuesCount - 1] : undefined;
  const chatGraph = schemaTakesMessages(diagramGraph?.inputSchema) || stateMessages(latestState?.values) !== null;
  const tokensView: TokensView = chatGraph ? (tokensViewChoice ?? "chat") : "tokens";
  // The shown run's thread (its metadata names it), or the thread of the page's URL before its run shows.
  const shownThreadId = run.threadId ?? routeThreadId ?? null;
  const threadGraphId = run.graphId ?? graphId;

  // Chat: the message box starts the next run on the shown run's thread (a new thread when none shows).
  const onSend = useCallback(
    (text: string) => {
      if (!session || !threadGraphId) return;
      setRejection(null);
      setResumeState({ busy: false, error: null });
      session.start({
        graphId: threadGraphId,
        input: { messages: [{ role: "user", content: text }] },
        streamMode: modes.includes("values") ? modes : [...modes, "values"],
        subgraphs: true,
        ...(shownThreadId ? { threadId: shownThreadId } : {}),
      });
    },
    [session, threadGraphId, modes, shownThreadId],
  );
  const sendBlocked = runBlocked ?? (modesProblem ? modesProblem : null);

  // Time travel: a run from a past checkpoint of the thread, with the form's input.
  const forkBlocked = runBlocked ?? (check?.ok !== true ? "Fix the input in the form first: a fork runs it from the checkpoint." : modesProblem);
  const onFork = useCallback(
    (checkpointId: string) => {
      if (!session || !shownThreadId || !check?.ok || modes.length === 0) return;
      setRejection(null);
      setResumeState({ busy: false, error: null });
      session.start({ graphId: threadGraphId, input: check.value, streamMode: modes, subgraphs: true, threadId: shownThreadId, checkpointId });
    },
    [session, shownThreadId, check, modes, threadGraphId],
  );
  // Run on: the thread goes on from a checkpoint as it stands (input null), e.g. after a fork or an edit.
  const continueBlocked = runBlocked ?? modesProblem;
  const onContinue = useCallback(
    (checkpointId: string) => {
      if (!session || !shownThreadId || modes.length === 0) return;
      setRejection(null);
      setResumeState({ busy: false, error: null });
      session.start({ graphId: threadGraphId, input: null, streamMode: modes, subgraphs: true, threadId: shownThreadId, checkpointId });
    },
    [session, shownThreadId, modes, threadGraphId],
  );
  // Edit state: the values become a new checkpoint (the thread section fetches again to list it); with
  // runInput the form's input runs on from it at once.
  const [threadWrites, setThreadWrites] = useState(0);
  const onEditState = useCallback(
    async (checkpointId: string, values: unknown, runInput: boolean) => {
      if (!connection || !shownThreadId) throw new Error("no thread is shown");
      const updated = await connection.trpc.threads.update.mutate({ threadId: shownThreadId, values, checkpointId });
      if (runInput) onFork(updated.checkpointId);
      else setThreadWrites((n) => n + 1);
      return updated.checkpointId;
    },
    [connection, shownThreadId, onFork],
  );

  const viewSwitch = useMemo(() => (chatGraph ? <TokensViewSwitch view={tokensView} onChange={setTokensViewChoice} /> : undefined), [chatGraph, tokensView]);

  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/">
          <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
            <path d="M2 5c3-3 5 3 8 0s4-2 6 0M2 9c3-3 5 3 8 0s4-2 6 0M2 13c3-3 5 3 8 0s4-2 6 0" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
          Rill <small>playground</small>
        </a>
        <span className="topbar-spacer" />
        {model && (
          <span className="model-chip" data-testid="model" title={`The chat model this server's graphs call: ${model}`}>
            model <b>{model.split(" (")[0]}</b>
            {server.system?.model.offline && <span className="tag">offline model</span>}
          </span>
        )}
        <TokenControl
          token={token ?? null}
          required={server.system?.authRequired === true}
          refused={server.refused || callRefused !== null}
          refusal={server.refused ? server.error : callRefused}
          onToken={onToken}
        />
        <ConnectionIndicator status={connectionStatus.status} detail={connectionStatus.detail} />
        <ThemeToggle />
      </header>
      <div className={`workspace${status === "idle" ? "" : " has-run"}`}>
        <aside className="sidebar" aria-label="Controls">
          {/* An interrupted run's question comes first: it is what the page is waiting for. */}
          {status === "interrupted" && (
            <div className="side-section">
              <ResumeForm interrupts={run.interrupts} onResume={onResume} busy={resumeState.busy} error={resumeState.error} />
            </div>
          )}
          <Controls
            graphs={server.graphs}
            graphId={graphId}
            onGraphChange={onGraphChange}
            inputText={inputText}
            onInputChange={onInputChange}
            onResetInput={onResetInput}
            inputProblem={inputProblem}
            inputProblemField={check && !check.ok ? check.field : null}
            modes={modes}
            onModesChange={setModes}
            recursionLimit={recursionLimitText}
            onRecursionLimitChange={setRecursionLimitText}
            recursionLimitProblem={recursionLimit.ok ? null : recursionLimit.message}
            modesProblem={modesProblem}
            runBlocked={runBlocked}
            onRun={onRun}
            onCancel={onCancel}
            canRun={canRun}
            canCancel={active && view.runId !== null}
            loadingGraphs={server.loading}
          />
          {server.error && (
            <p className="side-section field-error" role="alert">
              Could not load graphs: {server.error}
            </p>
          )}
          <RecentRuns connection={connection} refreshKey={`${view.runId ?? ""}:${status}`} currentRunId={view.runId} onOpen={onOpenRun} />
          <RecentThreads connection={connection} refreshKey={`${view.runId ?? ""}:${status}`} currentThreadId={shownThreadId} onOpen={onOpenThread} />
          <section className="side-section" aria-labelledby="diagram-title">
            <h2 id="diagram-title">Graph{diagramGraph ? ` · ${diagramGraph.id}` : ""}</h2>
            <GraphDiagram
              structure={diagramGraph?.structure ?? null}
              nodes={run.nodes}
              version={paced.diagram.nodesVersion}
              tasks={run.tasks}
              taskCount={paced.diagram.taskCount}
              title={diagramGraph?.title ?? "Graph"}
              selected={nodeFilter}
              onSelect={setNodeFilter}
              stepNodes={stepNodes}
            />
            {nodeFilter && (
              <p className="node-filter" data-testid="node-filter">
                Panels show only <b>{nodeFilter}</b>
                <button type="button" className="btn btn-small" onClick={() => setNodeFilter(null)}>
                  Show all
                </button>
              </p>
            )}
          </section>
        </aside>
        <main className="main">
          <RunBar
            status={status}
            runId={view.runId}
            graphId={run.graphId}
            eventCount={view.eventCount}
            tokenCount={view.tokenCount}
            error={run.error}
            failure={view.failure}
            statusReason={run.statusReason}
            restoredCount={view.restoredCount}
            resumedAfter={view.resumedAfter}
            duplicatesDropped={run.duplicatesDropped}
            onRerun={routeRunInfo && routeRunInfo.input !== null ? onRerun : null}
            canRerun={canRerun}
          />
          <RunErrorDetail error={run.error} failure={view.failure} />
          <ThreadSection
            connection={connection}
            threadId={shownThreadId}
            open={threadOpen}
            onToggle={setThreadOpen}
            refreshKey={`${view.runId ?? ""}:${status}:${threadWrites}`}
            selectedStep={selectedStep}
            run={run}
            currentRunId={view.runId}
            forkBlocked={forkBlocked}
            continueBlocked={continueBlocked}
            onFork={onFork}
            onContinue={onContinue}
            onEditState={onEditState}
            onOpenRun={onOpenRun}
          />
          <div className="panels">
            <StatePanel values={run.values} count={paced.state.valuesCount} updates={run.updates} updatesCount={paced.state.updatesCount} modeRequested={requested("values")} selectedStep={selectedStep} onSelectStep={setSelectedStep} />
            <UpdatesPanel updates={shownUpdates} count={nodeFilter ? shownUpdates.length : updatesCount} modeRequested={requested("updates")} selectedStep={selectedStep} onSelectStep={setSelectedStep} />
            {tokensView === "chat" ? (
              <ChatPanel
                state={latestState}
                messages={run.messages}
                version={view.messagesVersion}
                lookup={run}
                tasksVersion={view.tasksVersion}
                streaming={status === "running"}
                valuesRequested={requested("values")}
                viewSwitch={viewSwitch}
                onSend={onSend}
                sendBlocked={sendBlocked}
              />
            ) : (
              <TokenPanel messages={shownMessages} version={view.messagesVersion} tokenCount={view.tokenCount} streaming={status === "running"} ended={isTerminalStatus(status)} lookup={run} tasksVersion={view.tasksVersion} modeRequested={requested("messages")} viewSwitch={viewSwitch} />
            )}
            <DebugTimeline tasks={shownTasks} version={paced.timeline.tasksVersion} end={paced.timeline.timelineEnd} modeRequested={requested("debug")} selectedStep={selectedStep} onSelectStep={setSelectedStep} />
            <div className="area-side">
              <CustomPanel custom={run.custom} count={paced.custom.customCount} modeRequested={requested("custom")} selectedStep={selectedStep} />
              <RawPanel events={run.events} count={paced.raw.eventCount} runId={paced.raw.runId} singleMode={run.streamModes.length === 1} />
            </div>
          </div>
        </main>
      </div>
    </div>
  );
}

/** What each paced panel reads from a view (see usePacedViews). */
const PANEL_SLICES = {
  state: (v) => [v.valuesCount, v.updatesCount],
  updates: (v) => [v.updatesCount],
  timeline: (v) => [v.tasksVersion, v.timelineEnd],
  custom: (v) => [v.customCount],
  raw: (v) => [v.eventCount, v.runId],
  // Its counts too: with the live count the diagram (and the sidebar around it) repainted every frame.
  diagram: (v) => [v.nodesVersion, v.taskCount],
} satisfies Record<string, PanelSlice>;

/** The thread id in a `/threads/<id>` path, else undefined. */
function threadIdOfPath(path: string): string | undefined {
  const match = /^\/threads\/([^/]+)\/?$/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** The run id in a `/runs/<id>` path, else undefined. */
function runIdOfPath(path: string): string | undefined {
  const match = /^\/runs\/([^/]+)\/?$/.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

function parseRecursionLimit(text: string, max: number | undefined): { ok: true; value: number | null } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1) return { ok: false, message: "recursionLimit: a whole number of steps, at least 1" };
  if (max !== undefined && value > max) return { ok: false, message: `recursionLimit: at most ${max} on this server` };
  return { ok: true, value };
}
