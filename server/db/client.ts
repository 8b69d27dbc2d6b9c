import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { getPool, requireDatabaseUrl } from "./pool.ts";

const globalForPrisma = globalThis as unknown as { modloopPrisma?: Map<string, PrismaClient> };

/** The Prisma client for DATABASE_URL, created once per process and sharing the app's pg pool. */
export function db(connectionString = requireDatabaseUrl()): PrismaClient {
  globalForPrisma.modloopPrisma ??= new Map();
  let client = globalForPrisma.modloopPrisma.get(connectionString);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg(getPool(connectionString)) });
    globalForPrisma.modloopPrisma.set(connectionString, client);
  }
  return client;
}

export type { PrismaClient };
