// Broken on purpose: its module throws while being imported. The server starts anyway and lists this graph
// with the error; starting a run of it is refused.
throw new Error("the broken fixture graph fails at import");
