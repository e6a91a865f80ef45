import { describe, expect, it } from "vitest";
import { errorMessageId, toAppError } from "./ipc";

describe("toAppError", () => {
  it("keeps a backend AppError with a known code", () => {
    expect(toAppError({ code: "DATA_DIR_UNAVAILABLE", message: "disk full" })).toEqual({
      code: "DATA_DIR_UNAVAILABLE",
      message: "disk full",
    });
  });

  it("maps an unknown code to INTERNAL and keeps what it said", () => {
    expect(toAppError({ code: "NOPE", message: "x" })).toEqual({ code: "INTERNAL", message: "NOPE: x" });
  });

  it("maps Tauri's bare string errors and exceptions to INTERNAL", () => {
    expect(toAppError("app_info not allowed")).toEqual({ code: "INTERNAL", message: "app_info not allowed" });
    expect(toAppError(new Error("boom"))).toEqual({ code: "INTERNAL", message: "boom" });
    expect(toAppError(null)).toEqual({ code: "INTERNAL", message: "null" });
  });
});

describe("errorMessageId", () => {
  it("turns codes into Fluent ids", () => {
    expect(errorMessageId("DATA_DIR_UNAVAILABLE")).toBe("error-data-dir-unavailable");
  });
});

describe("invoke", () => {
  it("tells the staff state when the backend has signed someone out", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    vi.doMock("@tauri-apps/api/core", () => ({
      invoke: (command: string) =>
        Promise.reject(
          command === "cards_list"
            ? { code: "SIGN_IN_REQUIRED", message: "sign in with your PIN" }
            : { code: "NOT_FOUND", message: "no" },
        ),
    }));
    const ipc = await import("./ipc");
    let signedOut = 0;
    ipc.whenSignedOut(() => signedOut++);
    await expect(ipc.invoke("customer_get", {})).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(signedOut).toBe(0);
    await expect(ipc.invoke("cards_list", {})).rejects.toMatchObject({ code: "SIGN_IN_REQUIRED" });
    expect(signedOut).toBe(1);
    vi.doUnmock("@tauri-apps/api/core");
  });
});
