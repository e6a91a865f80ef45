// The UI's reactive i18n state. Components call t(); changing `i18n.locale` re-renders them.
import type { FluentVariable } from "@fluent/bundle";
import { buildCatalog, format, FALLBACK_LOCALE } from "./fluent";

const sources = import.meta.glob("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export const catalog = buildCatalog(sources);

export const i18n = $state({ locale: FALLBACK_LOCALE });

export function t(id: string, args?: Record<string, FluentVariable>): string {
  return format(catalog, i18n.locale, id, args);
}
