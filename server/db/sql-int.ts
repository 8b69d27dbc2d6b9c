/**
 * An integer as an SQL literal, refusing anything else: for multi-statement simple queries, which
 * carry no parameters but save round trips. Never used for text.
 */
export function sqlInt(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  const text = String(value);
  if (!/^-?[0-9]{1,19}$/.test(text)) throw new Error(`not an integer: ${text}`);
  return text;
}
