import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: "modloop",
  description: "Human-in-the-loop moderation labelling",
  // app/icon.svg is the favicon (Next adds its <link>); the same mark for home-screen shortcuts
  icons: { apple: "/logo.svg" },
};

// the browser chrome follows the theme, which follows the operating system (app/globals.css)
export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1120" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so each gets its own CSP nonce (proxy.ts); a page prerendered at
  // build time would carry scripts without one, and the browser would refuse to run them.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
