// lib/graph/checkpoint/postgres: Rill's durable checkpointer in PostgreSQL (DATABASE_URL).
export { PostgresSaver, type PostgresSaverOptions } from "./postgresSaver";
export { POSTGRES_SCHEMA_VERSION } from "./schema";
