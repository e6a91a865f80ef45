import { describe, expect, it } from "vitest";
import { contrast, KIOSK_THEME as K, themeStyle } from "./theme";

describe("kiosk colours meet WCAG 2.2 AA", () => {
  it("computes contrast like WCAG", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it.each([
    ["text on background", K.text, K.bg],
    ["muted text on background", K.muted, K.bg],
    ["primary button text", K.primaryText, K.primary],
    ["secondary button text", K.secondaryText, K.secondary],
    ["success message", K.okText, K.okBg],
    ["warning message", K.warnText, K.warnBg],
  ])("%s: at least 4.5:1", (_, fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it.each([
    ["focus ring on background", K.focus, K.bg],
    ["focus ring on a secondary button", K.focus, K.secondary],
    ["control outline on background", K.outline, K.bg],
    ["primary button against background", K.primary, K.bg],
  ])("%s: at least 3:1", (_, fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(3);
  });

  it("exposes every colour as a CSS variable", () => {
    expect(themeStyle()).toContain("--k-primary-text: #ffffff");
    expect(themeStyle().split(";")).toHaveLength(Object.keys(K).length);
  });
});
