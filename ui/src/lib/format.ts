// Locale-aware formatting of what the card list shows. Pure functions, unit-tested.

/** `2026-11-23T20:15:00Z` → "23 Nov 2026" in the app's language. */
export function formatDate(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(d);
}

/** Date and time, for the audit log. */
export function formatDateTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** Expiry as printed on cards: MM/YY; an em dash when unknown. */
export function formatExpiry(month: number | null, year: number | null): string {
  if (month === null || year === null) return "—";
  return `${String(month).padStart(2, "0")}/${String(year % 100).padStart(2, "0")}`;
}

/** `************1111` → `•••• 1111`. */
export function formatMasked(masked: string, last4: string): string {
  const digits = last4 || masked.replace(/\D/g, "").slice(-4);
  return `•••• ${digits}`;
}

export type ExpiryFilter = "any" | "expired" | "3m" | "12m";

function yyyymm(d: Date, addMonths = 0): number {
  const m = d.getFullYear() * 12 + d.getMonth() + addMonths;
  return Math.floor(m / 12) * 100 + (m % 12) + 1;
}

/** The card query's inclusive YYYYMM window for an expiry filter, relative to `now`. */
export function expiryWindow(filter: ExpiryFilter, now: Date): { from: number | null; to: number | null } {
  switch (filter) {
    case "expired":
      return { from: null, to: yyyymm(now, -1) };
    case "3m":
      return { from: yyyymm(now), to: yyyymm(now, 3) };
    case "12m":
      return { from: yyyymm(now), to: yyyymm(now, 12) };
    default:
      return { from: null, to: null };
  }
}

/** Whether a card has expired (cards are valid through the end of their expiry month). */
export function isExpired(month: number | null, year: number | null, now: Date): boolean {
  if (month === null || year === null) return false;
  return year * 100 + month < yyyymm(now);
}
