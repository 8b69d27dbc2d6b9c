import { defineConfig } from "prisma/config";

// The Prisma CLI's native schema engine cannot be downloaded on offline machines; `prisma generate`
// never runs it, so point at a stub that fails loudly if anything does (see scripts/migrate.ts for
// how migrations are applied).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= new URL("./scripts/no-schema-engine.sh", import.meta.url).pathname;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx scripts/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://127.0.0.1:5432/modloop" },
});
