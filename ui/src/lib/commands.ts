// Generated from crates/core/src/api.rs by `UPDATE_BINDINGS=1 cargo test -p cardbind-core`.
// Do not edit by hand.

import type * as T from "./bindings";
import { invoke } from "./ipc";

/**
 * What the app is, which Antom it talks to and where it keeps its data.
 */
export function appInfo(): Promise<T.AppInfo> {
  return invoke<T.AppInfo>("app_info", {});
}
