/** PostgreSQL's unique_violation (23505): a row with that key exists already. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "23505";
}
