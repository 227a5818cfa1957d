import type { DifferentialCase } from "../differentialCase";
import { behaviourItems } from "./behaviourItems";
import { builderErrors } from "./builderErrors";
import { bulkUpdate } from "./bulkUpdate";
import { cancelKeepsWrites } from "./cancelKeepsWrites";
import { cancellation } from "./cancellation";
import { commands } from "./commands";
import { conditionalEdges } from "./conditionalEdges";
import { deferNode } from "./deferNode";
import { durability } from "./durability";
import { executionInfo } from "./executionInfo";
import { fanout } from "./fanout";
import { interruptBeforeAfter } from "./interruptBeforeAfter";
import { graphIntrospection } from "./graphIntrospection";
import { interrupts } from "./interrupts";
import { ioSchemas } from "./ioSchemas";
import { invalidUpdate } from "./invalidUpdate";
import { jokeModes } from "./jokeModes";
import { loopToEnd } from "./loopToEnd";
import { maxConcurrency } from "./maxConcurrency";
import { messages } from "./messages";
import { multipleInterrupts } from "./multipleInterrupts";
import { nestedInvoke } from "./nestedInvoke";
import { nodeFinished } from "./nodeFinished";
import { multipleModes } from "./multipleModes";
import { nodeConfig } from "./nodeConfig";
import { nodeError } from "./nodeError";
import { nodeOptions } from "./nodeOptions";
import { offlineModelMessages } from "./offlineModelMessages";
import { persistentSubgraph } from "./persistentSubgraph";
import { replaySubgraphState } from "./replaySubgraphState";
import { middleSubgraphTimeTravel, subgraphTimeTravel } from "./subgraphTimeTravel";
import { zodDefaults } from "./zodDefaults";
import { plainGraph } from "./plainGraph";
import { lowLevelPregel } from "./lowLevelPregel";
import { recursionLimit } from "./recursionLimit";
import { reducers } from "./reducers";
import { retryPolicy } from "./retryPolicy";
import { sendMapReduce } from "./sendMapReduce";
import { sequence } from "./sequence";
import { stateApi } from "./stateApi";
import { stateSchema } from "./stateSchema";
import { staticBreakpoints } from "./staticBreakpoints";
import { store } from "./store";
import { streamEvents } from "./streamEvents";
import { streamEventsV3Subgraphs } from "./streamEventsV3Subgraphs";
import { subgraph } from "./subgraph";
import { subgraphState } from "./subgraphState";
import { subgraphStreams } from "./subgraphStreams";
import { severalWrites } from "./severalWrites";
import { taskHelpers } from "./taskHelpers";
import { timeTravel } from "./timeTravel";
import { twoFailures } from "./twoFailures";
import { timeouts } from "./timeouts";
import { withConfigBatch } from "./withConfigBatch";
import { zodState } from "./zodState";

/** The ports of reference/cases/*.mjs first, then what users write beyond them. */
export const cases: DifferentialCase[] = [
  jokeModes,
  messages,
  offlineModelMessages,
  fanout,
  subgraph,
  nodeError,
  interrupts,
  multipleInterrupts,
  conditionalEdges,
  sendMapReduce,
  commands,
  loopToEnd,
  recursionLimit,
  reducers,
  sequence,
  invalidUpdate,
  retryPolicy,
  multipleModes,
  subgraphStreams,
  interruptBeforeAfter,
  stateApi,
  cancellation,
  nodeConfig,
  builderErrors,
  timeouts,
  taskHelpers,
  severalWrites,
  maxConcurrency,
  withConfigBatch,
  executionInfo,
  stateSchema,
  store,
  zodState,
  ioSchemas,
  persistentSubgraph,
  timeTravel,
  replaySubgraphState,
  subgraphTimeTravel,
  middleSubgraphTimeTravel,
  zodDefaults,
  staticBreakpoints,
  deferNode,
  plainGraph,
  lowLevelPregel,
  twoFailures,
  graphIntrospection,
  behaviourItems,
  subgraphState,
  cancelKeepsWrites,
  durability,
  bulkUpdate,
  nodeOptions,
  streamEvents,
  streamEventsV3Subgraphs,
  nestedInvoke,
  nodeFinished,
];
