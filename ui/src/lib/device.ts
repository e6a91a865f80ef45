// What the till's web view can honestly say of the screen the customer pays on, for Antom's
// 3-D Secure 2 data (`env` of a customer-present charge). The backend checks each value's shape
// and leaves out what is out of range; none of it authorises anything.
import type { DeviceInfo } from "./gen/types";

export function deviceInfo(): DeviceInfo {
  return {
    screenWidth: Math.round(window.screen?.width ?? 0) || null,
    screenHeight: Math.round(window.screen?.height ?? 0) || null,
    colorDepth: window.screen?.colorDepth || null,
    timeZoneOffset: new Date().getTimezoneOffset(),
    userAgent: navigator.userAgent || null,
    language: navigator.language || null,
  };
}
