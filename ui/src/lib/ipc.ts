// The one way the UI calls the backend. Every failure becomes an AppError {code, message} with a
// code from the generated ERROR_CODES list, whatever Tauri or the command threw.
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { ERROR_CODES, type AppError, type ErrorCode } from "./gen/types";

const KNOWN_CODES: ReadonlySet<string> = new Set<string>(ERROR_CODES);

export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof code === "string" && KNOWN_CODES.has(code)) {
      return { code: code as ErrorCode, message: String(message) };
    }
    return { code: "INTERNAL", message: `${String(code)}: ${String(message)}` };
  }
  return { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
}

/** Called when the backend says nobody is signed in any more (it expires idle sessions on its
 * own): the app shows the lock screen. Set by the staff state (no import cycle). */
let onSignedOut: (() => void) | null = null;

export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

export async function invoke<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await tauriInvoke<T>(command, args);
  } catch (e) {
    const err = toAppError(e);
    if (err.code === "SIGN_IN_REQUIRED") onSignedOut?.();
    throw err;
  }
}

/** Message id of an error code: DATA_DIR_UNAVAILABLE → error-data-dir-unavailable. */
export function errorMessageId(code: ErrorCode): string {
  return `error-${code.toLowerCase().replaceAll("_", "-")}`;
}
