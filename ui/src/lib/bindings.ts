// Generated from crates/core/src/api.rs by `UPDATE_BINDINGS=1 cargo test -p cardbind-core`.
// Do not edit by hand.

export type ErrorCode = "INTERNAL" | "DATA_DIR_UNAVAILABLE" | "STORAGE_FULL" | "STORAGE_FAILED" | "NOT_FOUND" | "INVALID_INPUT" | "SETTINGS_INVALID" | "KEYRING_UNAVAILABLE" | "KEYRING_LOCKED" | "KEY_MISSING" | "KEY_INVALID" | "TOKEN_UNREADABLE" | "ANTOM_UNREACHABLE" | "ANTOM_REJECTED_SIGNATURE" | "ANTOM_RESPONSE_INVALID" | "ANTOM_FAILED" | "ANTOM_UNKNOWN" | "BINDING_DECLINED" | "BINDING_EXPIRED" | "BINDING_PENDING" | "NOTIFICATION_INVALID";

export type AppError = { code: ErrorCode, message: string, };

export type Environment = "demo" | "sandbox" | "production";

export type AppInfo = { name: string, version: string, dataDir: string, configDir: string, environment: Environment, 
/**
 * `os/arch`, e.g. `linux/x86_64`.
 */
platform: string, 
/**
 * Demo mode: the in-process Antom simulator's address (loopback).
 */
simulatorUrl: string | null, 
/**
 * Why cards cannot be bound right now (no keyring, keys missing, ...); `None` when they can.
 */
bindingUnavailable: AppError | null, };

export const ERROR_CODES: readonly ErrorCode[] = ["INTERNAL", "DATA_DIR_UNAVAILABLE", "STORAGE_FULL", "STORAGE_FAILED", "NOT_FOUND", "INVALID_INPUT", "SETTINGS_INVALID", "KEYRING_UNAVAILABLE", "KEYRING_LOCKED", "KEY_MISSING", "KEY_INVALID", "TOKEN_UNREADABLE", "ANTOM_UNREACHABLE", "ANTOM_REJECTED_SIGNATURE", "ANTOM_RESPONSE_INVALID", "ANTOM_FAILED", "ANTOM_UNKNOWN", "BINDING_DECLINED", "BINDING_EXPIRED", "BINDING_PENDING", "NOTIFICATION_INVALID"];
