/**
 * The demo accounts `npm start` creates and prints: one per role, two moderators so two people
 * can try the queue side by side and see that they never get the same excerpt.
 * One shared password: these exist only in the demo workspace on a local database.
 */
export const DEMO_PASSWORD = "modloop-demo";

// The Role enum's values, spelled out so lib/ stays free of server imports.
export type TDemoUser = { email: string; name: string; role: "admin" | "data_scientist" | "manager" | "moderator" };

export const DEMO_USERS: readonly TDemoUser[] = [
  { email: "admin@modloop.demo", name: "Ada Admin", role: "admin" },
  { email: "scientist@modloop.demo", name: "Dana Scientist", role: "data_scientist" },
  { email: "manager@modloop.demo", name: "Max Manager", role: "manager" },
  { email: "moderator@modloop.demo", name: "Mo Moderator", role: "moderator" },
  { email: "moderator2@modloop.demo", name: "Robin Moderator", role: "moderator" },
];
