/** Mapping row labels onto the workspace taxonomy. Pure: the caller passes the categories in. */

export type TLabelCategory = { id: number; name: string };

/** label (as written in the file) → category name; keys compared case-insensitively. */
export type TLabelMap = Record<string, string>;

/** Parses the CLI form `toxic=harassment,obscene=profanity,clean=non-toxic`. */
export function parseLabelMapArg(arg: string): TLabelMap {
  const map: TLabelMap = {};
  for (const part of arg.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1) throw new Error(`"${part}" is not label=category`);
    map[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return map;
}

const key = (s: string) => s.trim().toLowerCase();

export type TLabelResolver = (label: string) => { categoryId: number } | { reason: string };

/**
 * Builds the label → category lookup: an explicit map entry wins, else a category with the same
 * name (case-insensitive). A map entry pointing at a category that does not exist is a
 * configuration mistake, reported before any row is read (it would otherwise fail every row).
 */
export function createLabelResolver(categories: readonly TLabelCategory[], labelMap: TLabelMap = {}): TLabelResolver {
  const byName = new Map(categories.map((c) => [key(c.name), c.id]));
  const mapped = new Map<string, number>();
  const badTargets: string[] = [];
  for (const [from, to] of Object.entries(labelMap)) {
    const id = byName.get(key(to));
    if (id === undefined) badTargets.push(`${from}=${to}`);
    else mapped.set(key(from), id);
  }
  if (badTargets.length > 0) {
    throw new Error(
      `label map names categories that do not exist: ${badTargets.join(", ")} (categories: ${categories.map((c) => c.name).join(", ")})`,
    );
  }
  const known = [...new Set([...mapped.keys(), ...byName.keys()])].join(", ");
  return (label) => {
    const k = key(label);
    const id = mapped.get(k) ?? byName.get(k);
    if (id !== undefined) return { categoryId: id };
    return { reason: `unknown label "${label.slice(0, 60)}": not a category and not in the label map (known: ${known})` };
  };
}

const TRUE_FLAGS = new Set(["1", "true", "yes", "y", "t", "1.0"]);
const FALSE_FLAGS = new Set(["0", "false", "no", "n", "f", "0.0", ""]);

/**
 * Datasets like Jigsaw carry one 0/1 column per label instead of a label column. The row's label
 * is the first listed column that is set (list them in priority order), else `noneLabel`
 * ("clean" by default, to be mapped onto the non-toxic category).
 */
export function labelFromFlagColumns(
  record: Record<string, unknown>,
  columns: readonly string[],
  noneLabel = "clean",
): { label: string } | { reason: string } {
  for (const column of columns) {
    const raw = record[column];
    const value = typeof raw === "string" ? raw.trim().toLowerCase() : raw === null || raw === undefined ? "" : String(raw).toLowerCase();
    if (TRUE_FLAGS.has(value)) return { label: column };
    if (!FALSE_FLAGS.has(value)) return { reason: `label column "${column}" must be 0 or 1 (got "${String(raw).slice(0, 40)}")` };
  }
  return { label: noneLabel };
}
