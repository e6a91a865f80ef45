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
type Vaulting = InstanceType<typeof import("@alipay/ams-checkout").AMSVaulting>;

function setLocale(sdk: Vaulting, locale: string): void {
  const internal = sdk as unknown as { options?: { locale?: string } };
  if (internal.options) internal.options.locale = locale;
}

/** Where the SDK instance's events go: the binding that mounted it last. */
let current: (e: SdkEvent) => void = () => {};
let cached: { key: string; sdk: Vaulting } | null = null;

/**
 * One SDK instance per environment, mounted again for each binding (after `unmount`, as the SDK
 * requires). Constructing one sets up Antom's device-risk module, which takes the page's main
 * thread for about a second here (measured by `make bench-add-card`): a fresh instance per
 * binding, or per language, made every card form wait for it.
 *
 * The language is the instance's `options.locale`, which the SDK reads when it builds the
 * element's frame URL at each mount (`createApp`, 1.47.2): it is set before each mount rather
 * than by constructing another instance. An undocumented field, like `elementLink`; the SDK
 * version is pinned and the kiosk's end-to-end test checks the element's language.
 */
async function instance(options: SdkOptions): Promise<Vaulting> {
  const key = options.environment;
  if (cached?.key === key) {
    setLocale(cached.sdk, options.locale);
    return cached.sdk;
  }
  const { AMSVaulting } = await import("@alipay/ams-checkout");
  const sdk = new AMSVaulting({
    environment: options.environment as "sandbox" | "prod",
    locale: options.locale,
    analytics: { enabled: false },
    onEventCallback: (e: SdkEvent) => current(e),
    onError: (e: SdkEvent) => current({ ...e, code: e.code ?? "SDK_INTERNAL_ERROR" }),
    onLog: () => {},
  } as ConstructorParameters<typeof AMSVaulting>[0]);
  cached = { key, sdk };
  return sdk;
}

/**
 * Before the first card form (the app calls it once the card list is up): load the SDK's code
 * and let Antom's own `preload` set up its device-risk module, then make the instance the first
 * binding will mount. Nothing is shown, nothing of a customer's is involved.
 */
export async function warmUp(environment: string, locale: string): Promise<void> {
  const { AMSVaulting } = await import("@alipay/ams-checkout");
  AMSVaulting.preload({ environment: environment as "sandbox" | "prod", securityRegion: "SG" } as Parameters<typeof AMSVaulting.preload>[0]);
  await instance({ environment, locale, elementLink: null });
}

export async function mountElement(
  options: SdkOptions,
  sessionData: string,
  selector: string,
  onEvent: (e: SdkEvent) => void,
  onFrame: () => void = () => {},
): Promise<MountedElement> {
  // the moment Antom's frame is attached (the benchmark's "frame" stage)
  const host = document.querySelector(selector);
  let framed = false;
  const attached = () => {
    if (!framed && host?.querySelector("iframe")) {
      framed = true;
      watch.disconnect();
      onFrame();
    }
  };
  const watch = new MutationObserver(attached);
  if (host) watch.observe(host, { childList: true, subtree: true });
  const sdk = await instance(options);
  current = onEvent;
  type MountParams = Parameters<typeof sdk.mountComponent>[0];
  const params: MountParams = { sessionData, notRedirectAfterComplete: true } as MountParams;
  if (options.elementLink) {
    (params as MountParams & { elementProps?: unknown }).elementProps = { elementLink: options.elementLink };
  }
  try {
    await sdk.mountComponent(params, selector);
  } finally {
    attached();
    watch.disconnect();
  }
  return {
    unmount() {
      if (current === onEvent) current = () => {};
      try {
        sdk.unmount();
      } catch {
        // already gone
      }
    },
  };
}
