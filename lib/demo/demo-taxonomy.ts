/**
 * The demo workspace's taxonomy: five harm categories plus the one non-toxic class. Hotkeys follow
 * the display order so a moderator's fingers learn one layout; non-toxic sits last (6) because the
 * queue serves flagged items first and Enter already accepts a correct suggestion.
 */
export type TDemoCategory = {
  name: TDemoCategoryName;
  description: string;
  color: string;
  hotkey: number;
  sortOrder: number;
  isNonToxic: boolean;
};

export const DEMO_CATEGORY_NAMES = ["Profanity", "Harassment", "Hate", "Threat", "Sexual", "Non-toxic"] as const;
export type TDemoCategoryName = (typeof DEMO_CATEGORY_NAMES)[number];

export const DEMO_TAXONOMY: readonly TDemoCategory[] = [
  {
    name: "Profanity",
    description: 'Swearing or vulgar language not aimed at a person or group ("this lag is f***ing awful").',
    color: "#f59e0b",
    hotkey: 1,
    sortOrder: 1,
    isNonToxic: false,
  },
  {
    name: "Harassment",
    description: 'Insults, bullying or demeaning remarks aimed at a player ("uninstall, you\'re useless").',
    color: "#ef4444",
    hotkey: 2,
    sortOrder: 2,
    isNonToxic: false,
  },
  {
    name: "Hate",
    description: "Attacks on people for a protected trait: gender, ethnicity, nationality, religion, disability, sexuality.",
    color: "#a855f7",
    hotkey: 3,
    sortOrder: 3,
    isNonToxic: false,
  },
  {
    name: "Threat",
    description: 'Threats of violence, doxxing or swatting, in or beyond the game ("I know where you live").',
    color: "#dc2626",
    hotkey: 4,
    sortOrder: 4,
    isNonToxic: false,
  },
  {
    name: "Sexual",
    description: "Unwanted sexual comments, propositions or requests aimed at a player.",
    color: "#ec4899",
    hotkey: 5,
    sortOrder: 5,
    isNonToxic: false,
  },
  {
    name: "Non-toxic",
    description: 'Ordinary chat, including trash talk about the game itself and in-game violence ("kill the dragon").',
    color: "#22c55e",
    hotkey: 6,
    sortOrder: 6,
    isNonToxic: true,
  },
];

export const DEMO_NON_TOXIC: TDemoCategoryName = "Non-toxic";
