import type { TExportRow } from "./row.ts";

/** A row exercising every column kind, nulls, quotes and a newline in the text. */
export const ROW: TExportRow = {
  id: "42",
  externalId: "chat-9001",
  text: 'you "noob", go\nhome',
  label: "insult",
  labelIndex: 1,
  split: "train",
  source: "voice",
  game: "dota2",
  channel: null,
  conversationId: "m-1",
  speakerId: "p7",
  occurredAt: "2026-11-01T10:00:00.000Z",
  decisionCount: 2,
  agreeing: 2,
  agreement: 1,
  isDisputed: false,
  isAudit: true,
  labelMethod: "majority",
  modelVersion: "linear-1",
  modelSuggestion: "non-toxic",
  modelScore: 0.625,
  toxicScore: 0.375,
};
