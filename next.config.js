/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons and the Postgres stack stay outside the bundle; they are loaded from node_modules.
  serverExternalPackages: [
    "onnxruntime-node",
    "pg",
    "pg-boss",
    "pg-copy-streams",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@prisma/adapter-pg",
    "bcryptjs",
    "@node-rs/argon2",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  // Headers that are the same on every response. Pages get their Content-Security-Policy (with a
  // per-request nonce) from proxy.ts; API responses are data, never documents, so theirs forbids everything.
  async headers() {
    const everywhere = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      // same-origin: no address leaks to other sites, and same-origin POSTs keep their Origin header
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    ];
    return [
      { source: "/:path*", headers: everywhere },
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }],
      },
    ];
  },
};
export default nextConfig;
