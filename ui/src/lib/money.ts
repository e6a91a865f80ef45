// Money in the UI: integer minor units in the currency's exponent, never floats. Shown with
// Intl in the app's language; typed amounts are parsed digit by digit.

/** The currency's minor-unit exponent, as Intl knows it (JPY 0, EUR 2, BHD 3). */
export function exponent(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 1250 minor units of EUR in `de` → "12,50 €". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const e = exponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor))).padStart(e + 1, "0");
  const whole = digits.slice(0, digits.length - e);
  const frac = digits.slice(digits.length - e);
  // Intl takes the decimal string as it is (no float arithmetic on money).
  const text = `${negative ? "-" : ""}${whole}${e > 0 ? "." + frac : ""}`;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: e, maximumFractionDigits: e }).format(
      text as unknown as number,
    );
  } catch {
    return `${text} ${currency}`;
  }
}

/**
 * A typed amount → minor units, or null when it is not a plain positive amount with at most the
 * currency's decimals. Accepts the locale's decimal separator or a dot, and the locale's group
 * separators; "12,5" in `de` for EUR is 1250.
 */
export function parseAmount(text: string, currency: string, locale: string): number | null {
  const e = exponent(currency);
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  let s = text.trim().replace(/\s|\u00a0|\u202f/g, "");
  if (group !== decimal && group !== ".") s = s.split(group).join("");
  if (decimal !== ".") {
    if (s.includes(decimal) && s.includes(".")) s = s.split(".").join(""); // dots were groups
    s = s.replace(decimal, ".");
  }
  const m = /^(\d{1,13})(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > e) return null;
  const minor = Number(m[1]) * 10 ** e + Number((frac + "0".repeat(e)).slice(0, e) || "0");
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** Minor units as a plain decimal for an input field: 5000 EUR → "50.00", 1000 JPY → "1000". */
export function toPlain(minor: number, currency: string): string {
  const e = exponent(currency);
  const digits = String(Math.trunc(minor)).padStart(e + 1, "0");
  return e === 0 ? digits : `${digits.slice(0, -e)}.${digits.slice(-e)}`;
}
