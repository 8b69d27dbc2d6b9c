import { describe, expect, it } from "vitest";
import { parseMappingArg, pickFields, resolveColumns } from "./mapping.ts";

describe("parseMappingArg", () => {
  it("reads field=column pairs", () => {
    expect(parseMappingArg("text=comment_text, external_id=id")).toEqual({ text: "comment_text", external_id: "id" });
  });
  it("accepts colons and keeps the column's case", () => {
    expect(parseMappingArg("speaker_id:PlayerID")).toEqual({ speaker_id: "PlayerID" });
  });
  it("rejects unknown fields and malformed parts with the offending text", () => {
    expect(() => parseMappingArg("txt=comment")).toThrow(/"txt" is not an import field/);
    expect(() => parseMappingArg("text")).toThrow(/"text" is not field=column/);
  });
  it("treats an empty string as no mapping", () => {
    expect(parseMappingArg("")).toEqual({});
  });
});

describe("resolveColumns", () => {
  it("finds the defaults case- and separator-insensitively", () => {
    const { columns, missing } = resolveColumns(["Message", "ConversationId", "playerId", "Timestamp", "id"]);
    expect(missing).toEqual([]);
    expect(columns).toEqual({
      text: "Message",
      external_id: "id",
      conversation_id: "ConversationId",
      speaker_id: "playerId",
      occurred_at: "Timestamp",
    });
  });
  it("maps the public datasets' columns without configuration", () => {
    expect(resolveColumns(["comment_text", "toxic", "obscene"]).columns).toEqual({ text: "comment_text" });
    expect(resolveColumns(["", "count", "class", "tweet"]).columns).toEqual({ text: "tweet", label: "class" });
    const conda = resolveColumns(["Id", "matchId", "conversationId", "utterance", "chatTime", "playerSlot", "playerId", "intentClass"]);
    expect(conda.columns).toMatchObject({
      text: "utterance",
      external_id: "Id",
      conversation_id: "conversationId",
      speaker_id: "playerId",
      label: "intentClass",
    });
  });
  it("lets an explicit mapping override the aliases", () => {
    const { columns } = resolveColumns(["text", "body", "msg_no"], { text: "body", external_id: "msg_no" });
    expect(columns.text).toBe("body");
    expect(columns.external_id).toBe("msg_no");
  });
  it("reports explicitly mapped columns that do not exist", () => {
    const { columns, missing } = resolveColumns(["a", "b"], { text: "comment" });
    expect(columns.text).toBeUndefined();
    expect(missing).toEqual([{ field: "text", column: "comment" }]);
  });
  it("never feeds two fields from one column", () => {
    const { columns } = resolveColumns(["text", "user"], { speaker_id: "user" });
    expect(columns).toEqual({ text: "text", speaker_id: "user" });
    const both = resolveColumns(["comment", "source"], { game: "source" });
    expect(both.columns.source).toBeUndefined();
  });
});

describe("pickFields", () => {
  it("reads only mapped keys", () => {
    expect(pickFields({ body: "hi", x: 1, n: 5 }, { text: "body", external_id: "n" })).toEqual({ text: "hi", external_id: 5 });
  });
});
