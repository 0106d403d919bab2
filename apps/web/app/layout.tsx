import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SERVICES_PATH, TRACES_PATH } from '@/lib/shared/routes';
import { BrowserTracingConfig } from '@/app/_components/browser-tracing-config';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tracelens',
  description: 'One click, one trace: browser → Next.js → NestJS, traced with OpenTelemetry.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <BrowserTracingConfig />
        <header className="site-header">
          {/* prefetch off: the browser traces its fetches, and a prefetch per page view would be a trace per page view. */}
          <nav className="site-nav" aria-label="Main">
            <Link href="/" className="brand" prefetch={false}>
              Tracelens
            </Link>
            <Link href={TRACES_PATH} prefetch={false}>
              Traces
            </Link>
            <Link href={SERVICES_PATH} prefetch={false}>
              Services
            </Link>
          </nav>
        </header>
        {children}
      </body>
    </html>
  );
}
