// Node module hooks (registered by engineMapping.ts with module.register) for the modules of a user's
// project. Rill imports a project's graph file with a marker in its URL's query (`rill-engine=rill|langgraph`
// and `rill-version=N`). For a module carrying that marker:
// - with engine "rill", the LangGraph.js specifiers (`@langchain/langgraph`, `/web`, `/prebuilt`,
//   `@langchain/langgraph-checkpoint`) resolve to Rill's modules instead;
// - every other specifier resolves as Node (and tsx) would, from the importing file, so the project's
//   other packages come from its own node_modules;
// - a project file it imports (a file: URL outside node_modules) gets the same marker, so the whole
//   project-local import tree is loaded for that engine and, with a new version, loaded afresh (dev reload).
// Modules without the marker (Rill's own, every package) are not touched.
/** @type {Record<string, string>} specifier -> file URL of Rill's module */
let targets = {};
/** @type {Record<string, string>} specifier -> why it cannot be mapped */
let missing = {};
/** @type {MessagePort | undefined} told [importer URL, imported URL] for every project file resolved */
let port;

export async function initialize(data) {
  targets = data.targets;
  missing = data.missing;
  port = data.port;
}

const MARKER = "rill-engine=";

function markerOf(parentURL) {
  if (!parentURL || !parentURL.startsWith("file:")) return null;
  const query = parentURL.indexOf("?");
  if (query < 0 || !parentURL.includes(MARKER, query)) return null;
  return parentURL.slice(query);
}

export async function resolve(specifier, context, nextResolve) {
  const marker = markerOf(context.parentURL);
  if (marker === null) return nextResolve(specifier, context);
  if (marker.includes(`${MARKER}rill`)) {
    const target = targets[specifier];
    if (target) return nextResolve(target, context);
    if (missing[specifier]) throw new Error(missing[specifier]);
  }
  const resolved = await nextResolve(specifier, context);
  let url = resolved.url;
  if (!url.startsWith("file:") || url.includes("/node_modules/")) return resolved;
  const query = url.search(/\?|%3F/);
  if (query >= 0) {
    // tsx marks a .ts file of a CommonJS package with its own query; it is loaded as ESM here instead (load()).
    if (!url.includes("tsx-")) return resolved;
    url = url.slice(0, query);
  }
  port?.postMessage([context.parentURL, url]);
  return { ...resolved, url: url + marker, format: resolved.format === "commonjs" ? "module" : resolved.format };
}

// A project's files are loaded as ES modules even in a package without "type": "module": a CommonJS
// require() would bypass these hooks (Node 20's hooks see only import), and graph files are written as ESM.
export async function load(url, context, nextLoad) {
  if (markerOf(url) !== null && context.format === "commonjs") return nextLoad(url, { ...context, format: "module" });
  return nextLoad(url, context);
}
