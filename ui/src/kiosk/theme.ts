// The kiosk's colours, in one place so their contrast is checked (theme.test.ts) against
// WCAG 2.2 AA: 4.5:1 for text, 3:1 for large text, focus indicators and control outlines.

export const KIOSK_THEME = {
  bg: "#ffffff",
  text: "#14171a",
  muted: "#4b5563",
  primary: "#0b4f94",
  primaryText: "#ffffff",
  secondary: "#e8eef5",
  secondaryText: "#0b2f55",
  outline: "#5b6775",
  focus: "#b3261e",
  okBg: "#e7f5ec",
  okText: "#0d5a2a",
  warnBg: "#fff4d6",
  warnText: "#6b3a00",
} as const;

function channel(hex: string, i: number): number {
  const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The theme as CSS custom properties for the kiosk's root element. */
export function themeStyle(): string {
  return Object.entries(KIOSK_THEME)
    .map(([k, v]) => `--k-${k.replace(/[A-Z]/g, (m) => "-" + m.toLowerCase())}: ${v}`)
    .join("; ");
}
