import type { TDemoUser } from "./demo-users.ts";

export type TDemoAccounts = { password: string; users: TDemoUser[] };
