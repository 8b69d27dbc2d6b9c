/**
 * Perspective attribute names for a workspace's taxonomy. TOXICITY is always the toxic score
 * (1 − p(non-toxic)); every toxic category answers under one more name: the one an admin set
 * (category.api_attribute), else Perspective's own attribute when the category's name matches one
 * (e.g. "Hate" → IDENTITY_ATTACK), else the category's name in upper snake case ("Spam links" → SPAM_LINKS).
 */
export const TOXICITY = "TOXICITY";

export const PERSPECTIVE_ATTRIBUTES = ["SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT", "SEXUALLY_EXPLICIT"] as const;
export type TPerspectiveAttribute = (typeof PERSPECTIVE_ATTRIBUTES)[number];

/** Category names (lower case, words only) that mean a Perspective attribute. */
const SYNONYMS: Record<TPerspectiveAttribute, readonly string[]> = {
  SEVERE_TOXICITY: ["severe toxicity", "severe toxic", "severe", "severely toxic"],
  IDENTITY_ATTACK: ["identity attack", "identity hate", "hate", "hate speech", "hateful"],
  INSULT: ["insult", "insults", "harassment", "bullying", "personal attack"],
  PROFANITY: ["profanity", "obscene", "obscenity", "swearing", "vulgar", "vulgarity"],
  THREAT: ["threat", "threats", "threatening", "violence", "violent"],
  SEXUALLY_EXPLICIT: ["sexually explicit", "sexual", "sexual content", "explicit"],
};

export const ATTRIBUTE_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

function words(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** "Spam links" → "SPAM_LINKS"; a name with no letters or digits gets "CATEGORY_<id>". */
export function attributeNameOf(name: string, categoryId: number): string {
  const upper = words(name).toUpperCase().replace(/ /g, "_").slice(0, 64);
  if (upper === "") return `CATEGORY_${categoryId}`;
  return /^[A-Z]/.test(upper) ? upper : `C_${upper}`.slice(0, 64);
}

export function perspectiveMatch(name: string): TPerspectiveAttribute | null {
  const w = words(name);
  for (const attribute of PERSPECTIVE_ATTRIBUTES) if (SYNONYMS[attribute].includes(w)) return attribute;
  return null;
}

export type TAttributeCategory = { id: number; name: string; isNonToxic: boolean; apiAttribute: string | null };

/**
 * Attribute name → category id for the toxic categories. Explicit names first; then Perspective names by
 * name match, each given to one category only (the first in the list's order); then the rest by their own
 * names, skipping any that would collide. The non-toxic category has no attribute (TOXICITY covers it).
 */
export function resolveAttributes(categories: readonly TAttributeCategory[]): Map<string, number> {
  const byAttribute = new Map<string, number>([[TOXICITY, -1]]);
  const toxic = categories.filter((c) => !c.isNonToxic);
  const unassigned: TAttributeCategory[] = [];
  for (const c of toxic) {
    if (c.apiAttribute && !byAttribute.has(c.apiAttribute)) byAttribute.set(c.apiAttribute, c.id);
    else unassigned.push(c);
  }
  const rest: TAttributeCategory[] = [];
  for (const c of unassigned) {
    const match = perspectiveMatch(c.name);
    if (match && !byAttribute.has(match)) byAttribute.set(match, c.id);
    else rest.push(c);
  }
  for (const c of rest) {
    const own = attributeNameOf(c.name, c.id);
    if (!byAttribute.has(own)) byAttribute.set(own, c.id);
  }
  byAttribute.delete(TOXICITY);
  return byAttribute;
}
