// Generated from crates/core/src/api.rs by `UPDATE_BINDINGS=1 cargo test -p cardbind-core`.
// Do not edit by hand.

export type ErrorCode = "INTERNAL" | "DATA_DIR_UNAVAILABLE";

export type AppError = { code: ErrorCode, message: string, };

export type Environment = "demo" | "sandbox" | "production";

export type AppInfo = { name: string, version: string, dataDir: string, configDir: string, environment: Environment, 
/**
 * `os/arch`, e.g. `linux/x86_64`.
 */
platform: string, };

export const ERROR_CODES: readonly ErrorCode[] = ["INTERNAL", "DATA_DIR_UNAVAILABLE"];
