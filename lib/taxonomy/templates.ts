import { DEMO_TAXONOMY } from "../demo/demo-taxonomy.ts";
import type { TTaxonomyCategory } from "./types.ts";

/**
 * Taxonomies a new workspace can start from. Category names of the published label sets are their own
 * label codes (OLID's NOT/UNT/IND/GRP/OTH, Jigsaw's column names), so an import of that data set's file
 * maps its labels onto categories by name with no mapping to type; the description says what each means.
 */
export type TTaxonomyTemplate = {
  id: TTaxonomyTemplateId;
  name: string;
  /** one line for the template picker */
  summary: string;
  categories: readonly TTaxonomyCategory[];
};

export const TAXONOMY_TEMPLATE_IDS = ["blank", "game-chat", "toxic-binary", "olid", "jigsaw"] as const;
export type TTaxonomyTemplateId = (typeof TAXONOMY_TEMPLATE_IDS)[number];

const NON_TOXIC_GREEN = "#22c55e";

export const TAXONOMY_TEMPLATES: readonly TTaxonomyTemplate[] = [
  {
    id: "blank",
    name: "Blank",
    summary: "Only the non-toxic class; add your own categories in Admin → Taxonomy.",
    // every workspace keeps exactly one non-toxic class (scores are 1 − p(non-toxic)), so blank starts with it
    categories: [{ name: "Non-toxic", description: "Acceptable content.", color: NON_TOXIC_GREEN, hotkey: 1, isNonToxic: true }],
  },
  {
    id: "game-chat",
    name: "Game chat (the demo's six categories)",
    summary: "Profanity, Harassment, Hate, Threat, Sexual, Non-toxic.",
    categories: DEMO_TAXONOMY.map(({ name, description, color, hotkey, isNonToxic }) => ({ name, description, color, hotkey, isNonToxic })),
  },
  {
    id: "toxic-binary",
    name: "Toxic / non-toxic",
    summary: "Two classes: Toxic and Non-toxic.",
    categories: [
      { name: "Toxic", description: "Rude, disrespectful or harmful content of any kind.", color: "#ef4444", hotkey: 1, isNonToxic: false },
      { name: "Non-toxic", description: "Acceptable content.", color: NON_TOXIC_GREEN, hotkey: 2, isNonToxic: true },
    ],
  },
  {
    id: "olid",
    name: "OLID (OffensEval 2019)",
    summary: "NOT, UNT, IND, GRP, OTH: the leaves of OLID's three levels.",
    // OLID's hierarchy NOT | OFF→UNT | OFF→TIN→{IND, GRP, OTH} flattened to its leaves: one label per excerpt
    categories: [
      { name: "IND", description: "Offensive, targeted at an individual (OLID level C: IND).", color: "#ef4444", hotkey: 1, isNonToxic: false },
      { name: "GRP", description: "Offensive, targeted at a group (OLID level C: GRP).", color: "#a855f7", hotkey: 2, isNonToxic: false },
      {
        name: "OTH",
        description: "Offensive, targeted at something else: an event, an organisation, an issue (OLID level C: OTH).",
        color: "#f97316",
        hotkey: 3,
        isNonToxic: false,
      },
      {
        name: "UNT",
        description: "Offensive but untargeted: profanity or swearing aimed at no one (OLID level B: UNT).",
        color: "#f59e0b",
        hotkey: 4,
        isNonToxic: false,
      },
      { name: "NOT", description: "Not offensive (OLID level A: NOT).", color: NON_TOXIC_GREEN, hotkey: 5, isNonToxic: true },
    ],
  },
  {
    id: "jigsaw",
    name: "Jigsaw toxic comments",
    summary: "toxic, severe_toxic, obscene, threat, insult, identity_hate, plus non_toxic.",
    // Jigsaw is multi-label (six 0/1 columns); here each excerpt takes its most specific label, and a
    // comment with none of the six is non_toxic
    categories: [
      { name: "toxic", description: "Rude, disrespectful or unreasonable (Jigsaw: toxic).", color: "#ef4444", hotkey: 1, isNonToxic: false },
      {
        name: "severe_toxic",
        description: "Very hateful, aggressive or disrespectful (Jigsaw: severe_toxic).",
        color: "#b91c1c",
        hotkey: 2,
        isNonToxic: false,
      },
      { name: "obscene", description: "Obscene or vulgar language (Jigsaw: obscene).", color: "#f59e0b", hotkey: 3, isNonToxic: false },
      { name: "threat", description: "A threat of violence or harm (Jigsaw: threat).", color: "#dc2626", hotkey: 4, isNonToxic: false },
      { name: "insult", description: "Insulting, inflammatory or negative towards a person (Jigsaw: insult).", color: "#f97316", hotkey: 5, isNonToxic: false },
      {
        name: "identity_hate",
        description: "Hateful towards an identity: race, religion, gender, sexuality… (Jigsaw: identity_hate).",
        color: "#a855f7",
        hotkey: 6,
        isNonToxic: false,
      },
      { name: "non_toxic", description: "None of the six Jigsaw labels.", color: NON_TOXIC_GREEN, hotkey: 7, isNonToxic: true },
    ],
  },
];

export function findTaxonomyTemplate(id: string): TTaxonomyTemplate | undefined {
  return TAXONOMY_TEMPLATES.find((t) => t.id === id);
}
