import { mkdir } from "node:fs/promises";
import path from "node:path";
import { env } from "../env.ts";
import { EmbeddedQueryQueue } from "./embedded-query-queue.ts";

/**
 * The zero-setup database: PGlite (PostgreSQL compiled to WASM) in a local folder, served over the
 * Postgres wire protocol on localhost so every part of the app (Prisma, pg, pg-boss) talks to it
 * exactly as it talks to a real server. Single process: the web server owns it.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number }): Promise<{ url: string; stop: () => Promise<void> }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const dir = path.resolve(opts.dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db: pglite, port: opts.port, host: "127.0.0.1", maxConnections: 64 });
  // keeps each connection's extended-protocol sequence together in the one session (see embedded-query-queue.ts);
  // connection handlers take the server's queue when they are created, so it is swapped before start()
  (server as unknown as { queryQueue: EmbeddedQueryQueue }).queryQueue = new EmbeddedQueryQueue(pglite);
  await server.start();
  const url = `postgresql://postgres@127.0.0.1:${opts.port}/postgres?sslmode=disable`;
  return {
    url,
    stop: async () => {
      await server.stop();
      await pglite.close();
    },
  };
}

/**
 * Is this process on the embedded database? The scripts set MODLOOP_DB_KIND=pglite when they open it.
 * Its differences from PostgreSQL are handled here in server/db, not in use cases: it runs every
 * connection in ONE backend session (named prepared statements collide, so pool.ts runs them unnamed;
 * a LISTEN breaks the other connections' view of the data; a second connection waits while a
 * transaction is open), and COPY cannot stream across its socket (copy-rows.ts).
 */
export function isEmbeddedDatabase(): boolean {
  return env().MODLOOP_DB_KIND === "pglite";
}

/** Can change notifications (LISTEN) be used? Not on the embedded database: callers poll instead. */
export function canListen(): boolean {
  return !isEmbeddedDatabase();
}

/** Can another connection write while this one holds a transaction open? Not on the embedded database. */
export function hasConcurrentSessions(): boolean {
  return !isEmbeddedDatabase();
}
