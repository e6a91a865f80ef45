// The UI's reactive i18n state. Components call t(); changing `i18n.locale` re-renders them.
// The strings come from ../locales/<lang>/*.ftl, the same files the Rust backend reads.
import type { FluentVariable } from "@fluent/bundle";
import { buildCatalog, format, FALLBACK_LOCALE } from "./fluent";

const sources = import.meta.glob("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export const catalog = buildCatalog(sources);

/** The app's languages, English first: generated from the Rust list. */
export { LOCALES } from "./gen/types";

export const i18n = $state({ locale: FALLBACK_LOCALE });

export function t(id: string, args?: Record<string, FluentVariable>): string {
  return format(catalog, i18n.locale, id, args);
}

/** A message in a given language (the language menu names each language in itself; a receipt
 * is in the customer's language whatever the staff's). */
export function tIn(locale: string, id: string, args?: Record<string, FluentVariable>): string {
  return format(catalog, locale, id, args);
}

export function applyLocale(locale: string): void {
  i18n.locale = locale;
  document.documentElement.lang = locale;
}
