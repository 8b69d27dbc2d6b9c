import { mkdir } from "node:fs/promises";
import path from "node:path";

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
