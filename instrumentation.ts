/** Runs once when the Next.js server starts (both `next start` and `next dev`). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // An invalid environment variable stops the server at start, naming it (server/env.ts).
    const { exitOnInvalidEnv } = await import("./server/env.ts");
    exitOnInvalidEnv("next");
    // Route handlers need the TCP peer's address for sign-in throttling (server/auth/peer-address.ts).
    const { installPeerAddressStamp } = await import("./server/auth/peer-address.ts");
    installPeerAddressStamp();
  }
}
