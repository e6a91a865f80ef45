// Mounting Antom's card-binding element with the genuine @alipay/ams-checkout SDK (an npm
// dependency, bundled by Vite, loaded on demand so start-up does not pay for it).
import type { SdkOptions } from "./gen/types";

export interface SdkEvent {
  code?: string;
  message?: string;
  result?: { result?: { resultCode?: string; resultStatus?: string; resultMessage?: string } } & Record<string, unknown>;
}

export interface MountedElement {
  unmount(): void;
}

/**
 * Construct AMSVaulting and mount the element into `selector`. `notRedirectAfterComplete` is set
 * explicitly (its documented default differs by platform): the app, not Antom's page, decides
 * what follows. In demo mode `elementProps.elementLink` points the SDK at the simulator's page.
 */
export async function mountElement(
  options: SdkOptions,
  sessionData: string,
  selector: string,
  onEvent: (e: SdkEvent) => void,
): Promise<MountedElement> {
  const { AMSVaulting } = await import("@alipay/ams-checkout");
  const sdk = new AMSVaulting({
    environment: options.environment as "sandbox" | "prod",
    locale: options.locale,
    analytics: { enabled: false },
    onEventCallback: (e: SdkEvent) => onEvent(e),
    onError: (e: SdkEvent) => onEvent({ ...e, code: e.code ?? "SDK_INTERNAL_ERROR" }),
    onLog: () => {},
  } as ConstructorParameters<typeof AMSVaulting>[0]);
  type MountParams = Parameters<typeof sdk.mountComponent>[0];
  const params: MountParams = { sessionData, notRedirectAfterComplete: true } as MountParams;
  if (options.elementLink) {
    (params as MountParams & { elementProps?: unknown }).elementProps = { elementLink: options.elementLink };
  }
  await sdk.mountComponent(params, selector);
  return {
    unmount() {
      try {
        sdk.unmount();
      } catch {
        // already gone
      }
    },
  };
}
