// Who is at the till (from the backend: staff_status) and the manager-approval prompt.
// The backend decides every permission; the UI only asks for a PIN when it is told to.
import type { ApprovalRequest, StaffStatus } from "./gen/types";
import { staffStatus } from "./gen/commands";
import { toAppError, whenSignedOut } from "./ipc";

export const staff = $state<{
  status: StaffStatus | null;
  /** A protected action was refused to the signed-in cashier: ask a manager for their PIN. */
  approval: { resolve: (approved: boolean) => void; request: ApprovalRequest | null } | null;
}>({ status: null, approval: null });

export async function refreshStatus(): Promise<StaffStatus> {
  const s = await staffStatus();
  staff.status = s;
  return s;
}

// The backend signed someone out (idle too long): show the lock screen at once.
whenSignedOut(() => void refreshStatus().catch(() => {}));

/** Role names, by role. */
export const ROLE_IDS = { owner: "role-owner", manager: "role-manager", cashier: "role-cashier" } as const;

/**
 * Run a protected command. When the backend refuses it to the signed-in cashier
 * (PERMISSION_DENIED), ask for a manager's or owner's PIN and, once approved, run it again.
 */
export async function protectedCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = toAppError(e);
    if (err.code === "PERMISSION_DENIED" && staff.status?.operator) {
      // what was refused, as the backend has it: the approval allows exactly that
      const request = await refreshStatus().then((s) => s.pendingApproval, () => null);
      const approved = await new Promise<boolean>((resolve) => (staff.approval = { resolve, request }));
      staff.approval = null;
      if (approved) return await run();
    } else if (err.code === "SIGN_IN_REQUIRED" || err.code === "KIOSK_LOCKED") {
      void refreshStatus();
    }
    throw err;
  }
}
