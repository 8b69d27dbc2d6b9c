import { DEMO_PASSWORD, DEMO_USERS } from "../../lib/demo/demo-users.ts";

/** The demo sign-ins as printed by `npm start` and `npm run db:seed`. */
export function formatDemoAccounts(): string {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  const rows = DEMO_USERS.map((u) => `  ${u.email.padEnd(width)}  ${DEMO_PASSWORD}   (${u.role.replace("_", " ")})`);
  return ["Demo accounts (email / password):", ...rows].join("\n");
}
