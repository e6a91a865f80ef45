// App-wide state: what app_info said (environment, locale, whether binding works).
import type { AppInfo } from "./gen/types";
import { appInfo } from "./gen/commands";

/** How often lists are read again on a shop's shared database (other tills write to it). */
export const SHARED_REFRESH_MS = 5000;

export const app = $state<{ info: AppInfo | null }>({ info: null });

export async function refreshAppInfo(): Promise<AppInfo> {
  const info = await appInfo();
  app.info = info;
  return info;
}

export const ENV_IDS = { demo: "env-demo", sandbox: "env-sandbox", production: "env-production" } as const;
