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
};
export default nextConfig;
