/** The minimal Next.js app bench/http.ts measures as the framework's floor (see lookup.js). */
const nextConfig = { serverExternalPackages: ["pg"], poweredByHeader: false };
export default nextConfig;
