import type pg from "pg";

/**
 * The PostgreSQL settings a benchmark ran under, recorded beside its figures: the queue's tail at 10M moves
 * with them (the buffer cache against a 10 GB database, checkpoints forced by WAL volume), so a figure means
 * little without them. The README's deployment advice names the values it recommends.
 */
export async function postgresSettings(client: Pick<pg.Client, "query">): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'autovacuum', 'max_connections', 'synchronous_commit', 'wal_compression')
      ORDER BY name`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.name, r.unit === "8kB" ? `${Math.round((Number(r.setting) * 8) / 1024)}MB` : r.unit ? `${r.setting}${r.unit}` : r.setting]),
  );
}
