// A durable saver stores values as JSON. @langchain/core objects in them (messages, mostly) serialize to
// LangChain's `{ lc: 1, type: "constructor", id, kwargs }` envelope; read back as plain JSON they would
// stay envelopes, and a thread continued after a restart would hold objects no reducer or model knows.
// So a stored value whose text holds an envelope is revived with @langchain/core's own `load` (as
// LangGraph's JsonPlusSerializer does). The import is lazy: graphs that never store LangChain objects
// never load @langchain/core, and pay one substring scan per value read.

const ENVELOPE = '"lc":1,"type":"constructor"';

export function holdsLangChainObjects(json: string): boolean {
  return json.includes(ENVELOPE);
}

/** The JSON text's value with every LangChain envelope in it revived as its @langchain/core object. */
export async function reviveLangChainObjects(json: string): Promise<unknown> {
  let load: typeof import("@langchain/core/load").load;
  try {
    ({ load } = await import("@langchain/core/load"));
  } catch (error) {
    throw new Error(
      `a stored checkpoint value holds LangChain objects, and @langchain/core (needed to read them back) could not be loaded: ${(error as Error).message}`,
    );
  }
  return load(json);
}
