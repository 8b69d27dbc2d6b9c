export type TExcerptRow = {
  id: string;
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  occurredAt: string | null;
  currentCategoryId: number | null;
  toxicScore: number | null;
  suggestedCategoryId: number | null;
};

export type TExcerptPage = { rows: TExcerptRow[]; nextCursor: string | null; activeModelVersionId: number | null };
