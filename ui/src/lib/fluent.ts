// Fluent catalogs for the UI, read from the same ../locales/<lang>/*.ftl files the Rust backend
// uses (bundled at build time). Pure functions, so they are unit-tested without Svelte.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";

export const FALLBACK_LOCALE = "en";

export type Catalog = Map<string, FluentBundle>;

/** Build one bundle per locale from `{ "<any>/locales/<lang>/<file>.ftl": text }`. */
export function buildCatalog(sources: Record<string, string>): Catalog {
  const byLocale = new Map<string, string[]>();
  for (const [path, text] of Object.entries(sources)) {
    const m = /locales\/([a-z]{2,3}(?:-[A-Za-z]+)?)\/[^/]+\.ftl$/.exec(path);
    if (!m) continue;
    const list = byLocale.get(m[1]) ?? [];
    list.push(text);
    byLocale.set(m[1], list);
  }
  const catalog: Catalog = new Map();
  for (const [locale, texts] of byLocale) {
    // No Unicode isolation marks around placeables: paths and codes must stay copyable.
    const bundle = new FluentBundle(locale, { useIsolating: false });
    // Syntax is checked strictly by the Rust test suite (fluent-syntax); here, a message defined
    // in two files is the error @fluent/bundle can report.
    for (const text of texts) {
      const errors = bundle.addResource(new FluentResource(text));
      if (errors.length > 0) throw new Error(`locales/${locale}: ${errors.map(String).join("; ")}`);
    }
    catalog.set(locale, bundle);
  }
  return catalog;
}

/** Format a message, falling back to English, then to the id itself (never a blank screen). */
export function format(
  catalog: Catalog,
  locale: string,
  id: string,
  args?: Record<string, FluentVariable>,
): string {
  for (const loc of [locale, FALLBACK_LOCALE]) {
    const bundle = catalog.get(loc);
    const msg = bundle?.getMessage(id);
    if (bundle && msg?.value) {
      const errors: Error[] = [];
      const out = bundle.formatPattern(msg.value, args ?? null, errors);
      if (errors.length === 0) return out;
    }
  }
  return id;
}
