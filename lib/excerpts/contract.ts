/** An excerpt's text and where it was said, as pages, the queue and exports carry it (occurredAt: ISO time). */
export type TExcerptOrigin = {
  text: string;
  source: "text" | "voice";
  game: string | null;
  channel: string | null;
  conversationId: string | null;
  speakerId: string | null;
  occurredAt: string | null;
};

export type TExcerptRow = TExcerptOrigin & {
  id: string;
  currentCategoryId: number | null;
  toxicScore: number | null;
  suggestedCategoryId: number | null;
};

export type TExcerptPage = { rows: TExcerptRow[]; nextCursor: string | null; activeModelVersionId: number | null };
