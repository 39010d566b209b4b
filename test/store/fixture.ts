import type { Store } from '../../src/store/index.ts';

/** A freshly opened store of one kind, how to reopen it on the same data (when it keeps any), and how to clean up. */
export interface StoreFixture {
  store: Store;
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

/** Wraps a test body: opens a store for it, and closes and cleans up after it, whatever happened. */
export function withFixture(open: () => Promise<StoreFixture>) {
  return (fn: (f: StoreFixture) => Promise<void>) => async () => {
    const f = await open();
    try {
      await fn(f);
    } finally {
      await f.store.close();
      await f.cleanup();
    }
  };
}
