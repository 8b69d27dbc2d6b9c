import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers.tsx";
import "./globals.css";

export const metadata: Metadata = { title: "modloop", description: "Human-in-the-loop moderation labelling" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
