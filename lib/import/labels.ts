/** Mapping row labels onto the workspace taxonomy. Pure: the caller passes the categories in. */

/** A category of the target taxonomy; an inactive one (isActive false) can never receive imported labels. */
export type TLabelCategory = { id: number; name: string; isActive?: boolean };

/** label (as written in the file) → category name; keys compared case-insensitively. */
export type TLabelMap = Record<string, string>;

/** Parses the CLI form `toxic=harassment,obscene=profanity,clean=non-toxic`. */
export function parseLabelMapArg(arg: string): TLabelMap {
  const map: TLabelMap = {};
  for (const part of arg
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
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
  const active = categories.filter((c) => c.isActive !== false);
  const byName = new Map(active.map((c) => [key(c.name), c.id]));
  const inactiveByName = new Map(categories.filter((c) => c.isActive === false).map((c) => [key(c.name), c.name]));
  const mapped = new Map<string, number>();
  const badTargets: string[] = [];
  const inactiveTargets: string[] = [];
  for (const [from, to] of Object.entries(labelMap)) {
    const id = byName.get(key(to));
    if (id !== undefined) mapped.set(key(from), id);
    else if (inactiveByName.has(key(to))) inactiveTargets.push(`"${from}" → "${inactiveByName.get(key(to))}"`);
    else badTargets.push(`${from}=${to}`);
  }
  if (inactiveTargets.length > 0) {
    throw new Error(
      `label map sends labels to inactive categories: ${inactiveTargets.join(", ")}; reactivate the category (Admin → Taxonomy) or map the label to an active one`,
    );
  }
  if (badTargets.length > 0) {
    throw new Error(`label map names categories that do not exist: ${badTargets.join(", ")} (categories: ${active.map((c) => c.name).join(", ")})`);
  }
  const known = [...new Set([...mapped.keys(), ...byName.keys()])].join(", ");
  return (label) => {
    const k = key(label);
    const id = mapped.get(k) ?? byName.get(k);
    if (id !== undefined) return { categoryId: id };
    const inactive = inactiveByName.get(k);
    if (inactive !== undefined) return { reason: `label "${label.slice(0, 60)}" names the inactive category "${inactive}": map it to an active category` };
    return { reason: `unknown label "${label.slice(0, 60)}": not a category and not in the label map (known: ${known})` };
  };
}

export type TLabelProposal = {
  label: string;
  /** rows carrying it (in what was read) */
  count: number;
  /** the active category proposed for it (same name, case-insensitive), null = unmapped */
  category: string | null;
  /** why it is unmapped, when there is more to say than "no category of that name" */
  note?: string;
};

/**
 * The label mapping table a preview proposes: a label whose name equals an active category's
 * (case-insensitively) is mapped to it; everything else is shown unmapped for the user to choose.
 */
export function proposeLabelMapping(counts: ReadonlyMap<string, number>, categories: readonly TLabelCategory[]): TLabelProposal[] {
  const active = new Map(categories.filter((c) => c.isActive !== false).map((c) => [key(c.name), c.name]));
  const inactive = new Map(categories.filter((c) => c.isActive === false).map((c) => [key(c.name), c.name]));
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, count]) => {
      const category = active.get(key(label)) ?? null;
      const sleeping = inactive.get(key(label));
      return category === null && sleeping !== undefined
        ? { label, count, category, note: `the category "${sleeping}" is inactive` }
        : { label, count, category };
    });
}

const TRUE_FLAGS = new Set(["1", "true", "yes", "y", "t", "1.0"]);
const FALSE_FLAGS = new Set(["0", "false", "no", "n", "f", "0.0", ""]);

/**
 * Datasets like Jigsaw carry one 0/1 column per label instead of a label column. The row's label
 * is the first listed column that is set (list them in priority order), else `noneLabel`
 * ("clean" by default, to be mapped onto the non-toxic category).
 */
export function labelFromFlagColumns(record: Record<string, unknown>, columns: readonly string[], noneLabel = "clean"): { label: string } | { reason: string } {
  for (const column of columns) {
    const raw = record[column];
    const value = typeof raw === "string" ? raw.trim().toLowerCase() : raw === null || raw === undefined ? "" : String(raw).toLowerCase();
    if (TRUE_FLAGS.has(value)) return { label: column };
    if (!FALSE_FLAGS.has(value)) return { reason: `label column "${column}" must be 0 or 1 (got "${String(raw).slice(0, 40)}")` };
  }
  return { label: noneLabel };
}
