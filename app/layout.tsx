import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Rill playground",
  description: "Run LLM graphs and watch their state, updates, tokens and debug timeline stream side by side.",
};

export const viewport: Viewport = {
  colorScheme: "dark light",
};

// Applies a stored theme choice before the first paint (no flash of the other theme).
const themeScript = `try{var t=localStorage.getItem("rill:theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
