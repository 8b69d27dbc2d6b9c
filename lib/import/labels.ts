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
