import { describe, expect, it } from "vitest";
import { buildCatalog, format } from "./fluent";

const real = import.meta.glob("../../../locales/*/*.ftl", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

describe("fluent catalog", () => {
  it("loads the project's locale files", () => {
    const catalog = buildCatalog(real);
    expect(catalog.has("en")).toBe(true);
    expect(format(catalog, "en", "app-name")).toBe("cardbind");
  });

  it("formats variables without isolation marks", () => {
    const catalog = buildCatalog(real);
    expect(format(catalog, "en", "error-details", { details: "/tmp/x" })).toBe("Details: /tmp/x");
  });

  it("falls back to English, then to the id", () => {
    const catalog = buildCatalog({
      "/x/locales/en/a.ftl": "hello = Hello\nonly-en = Only English\n",
      "/x/locales/de/a.ftl": "hello = Hallo\n",
    });
    expect(format(catalog, "de", "hello")).toBe("Hallo");
    expect(format(catalog, "de", "only-en")).toBe("Only English");
    expect(format(catalog, "de", "missing-id")).toBe("missing-id");
  });

  it("rejects a message defined twice instead of silently keeping one", () => {
    expect(() =>
      buildCatalog({ "/x/locales/en/a.ftl": "hello = Hello\n", "/x/locales/en/b.ftl": "hello = Hi\n" }),
    ).toThrow(/locales\/en/);
  });
});
