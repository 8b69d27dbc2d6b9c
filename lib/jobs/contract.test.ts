import { describe, expect, it } from "vitest";
import { BACKGROUND_TASKS, describeBackgroundFailure } from "./contract.ts";

describe("describeBackgroundFailure", () => {
  it("says what failed, why, what it means for the user and what to do, for every task", () => {
    for (const task of BACKGROUND_TASKS) {
      const { title, detail } = describeBackgroundFailure({ task, reason: "Protobuf parsing failed.", failures: 1 });
      expect(title.length).toBeGreaterThan(5);
      expect(detail).toMatch(/^Protobuf parsing failed\. Until it is fixed, .+\. .+\.$/);
    }
  });

  it("counts repeated failures in the title", () => {
    expect(describeBackgroundFailure({ task: "score", reason: "x", failures: 3 }).title).toBe("Scoring new excerpts is failing (3 times in a row)");
    expect(describeBackgroundFailure({ task: "score", reason: "x", failures: 1 }).title).toBe("Scoring new excerpts is failing");
  });
});
