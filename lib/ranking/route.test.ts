import { describe, expect, it } from "vitest";
import { isAuditSample } from "./rank.ts";
import { routeLiveLine, topTwoMargin, type TRouteSettings } from "./route.ts";

const settings: TRouteSettings = { flagThreshold: 0.5, isRouteFlagged: true, routeUncertainMargin: 0.1, routeAuditShare: 0 };
// an id outside any audit slice below 0.5, found once so the tests below do not depend on the hash's values
const plainId = Array.from({ length: 100 }, (_, i) => String(i + 1)).find((id) => !isAuditSample(id, 0.5))!;

describe("topTwoMargin", () => {
  it("is p1 − p2 whatever the order, 1 for a single output", () => {
    expect(topTwoMargin([0.6, 0.3, 0.1])).toBeCloseTo(0.3);
    expect(topTwoMargin([0.1, 0.3, 0.6])).toBeCloseTo(0.3);
    expect(topTwoMargin([0.5, 0.5])).toBe(0);
    expect(topTwoMargin([1])).toBe(1);
  });
});

describe("routeLiveLine", () => {
  it("routes flagged lines (toxic score at or above the threshold) when route flagged is on", () => {
    // non-toxic at index 1: toxic score 0.9
    expect(routeLiveLine({ excerptId: plainId, probs: [0.9, 0.1], nonToxicIndex: 1 }, settings)).toBe("flagged");
    expect(routeLiveLine({ excerptId: plainId, probs: [0.5, 0.5], nonToxicIndex: 1 }, { ...settings, routeUncertainMargin: null })).toBe("flagged");
    expect(routeLiveLine({ excerptId: plainId, probs: [0.9, 0.1], nonToxicIndex: 1 }, { ...settings, isRouteFlagged: false })).toBeNull();
  });

  it("routes uncertain lines (top two closer than the margin), and not when the margin is off", () => {
    const probs = [0.05, 0.5, 0.45]; // toxic 0.5 at index 1 non-toxic → toxic score 0.5, flagged
    expect(routeLiveLine({ excerptId: plainId, probs, nonToxicIndex: 1 }, { ...settings, isRouteFlagged: false })).toBe("uncertain");
    expect(routeLiveLine({ excerptId: plainId, probs, nonToxicIndex: 1 }, { ...settings, isRouteFlagged: false, routeUncertainMargin: null })).toBeNull();
    expect(routeLiveLine({ excerptId: plainId, probs: [0.02, 0.9, 0.08], nonToxicIndex: 1 }, settings)).toBeNull();
  });

  it("routes the audit slice whatever the model says, by the excerpt id's hash", () => {
    const sure = { probs: [0.01, 0.99], nonToxicIndex: 1 };
    const ids = Array.from({ length: 4000 }, (_, i) => String(i + 1));
    const audited = ids.filter((id) => routeLiveLine({ excerptId: id, ...sure }, { ...settings, routeAuditShare: 0.05 }) === "audit");
    expect(audited.length / ids.length).toBeGreaterThan(0.04);
    expect(audited.length / ids.length).toBeLessThan(0.06);
    // the same ids as the queue's own audit hash: requeue and claim agree with the router
    expect(audited.every((id) => isAuditSample(id, 0.05))).toBe(true);
    // audit wins over flagged: a flagged line in the slice counts as audit, so the slice stays uniform
    const flaggedAudit = audited[0];
    expect(routeLiveLine({ excerptId: flaggedAudit, probs: [0.99, 0.01], nonToxicIndex: 1 }, { ...settings, routeAuditShare: 0.05 })).toBe("audit");
    expect(routeLiveLine({ excerptId: plainId, ...sure }, { ...settings, routeAuditShare: 0 })).toBeNull();
    expect(routeLiveLine({ excerptId: plainId, ...sure }, { ...settings, routeAuditShare: 1 })).toBe("audit");
  });
});
