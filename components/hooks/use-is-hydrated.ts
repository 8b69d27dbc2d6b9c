import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * False while a server-rendered component renders on the server and hydrates, true from then on. For
 * text that depends on where it is rendered (times in the browser's time zone): render it only once
 * hydrated, so the server's HTML and the first client render agree.
 */
export function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
