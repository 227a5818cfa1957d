// lib/graph/checkpoint/sqlite: Rill's durable checkpointer in an embedded SQLite file.
export { SqliteSaver, type SqliteSaverOptions } from "./sqliteSaver";
export { SQLITE_SCHEMA_VERSION } from "./schema";
