import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { SignOutButton } from '@/components/SignOutButton'
import { supabaseAuthEnabled } from '@/lib/auth/config'
import './globals.css'

export const metadata: Metadata = {
  title: 'Syncline',
  description: "Keep your app's database and your customers' CRMs in step.",
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl items-center justify-between px-6 py-4">
            <a href="/" className="text-lg font-semibold tracking-tight">Syncline</a>
            <nav className="flex gap-4 text-sm text-slate-600">
              <a href="/">Dashboard</a>
              {supabaseAuthEnabled() && <SignOutButton />}
            </nav>
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
      </body>
    </html>
  )
}
