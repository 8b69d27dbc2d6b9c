/** Runs once when the Next.js server starts (both `next start` and `next dev`). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Route handlers need the TCP peer's address for sign-in throttling (server/auth/peer-address.ts).
    const { installPeerAddressStamp } = await import("./server/auth/peer-address.ts");
    installPeerAddressStamp();
  }
}
