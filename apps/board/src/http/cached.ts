// A value read at most once per period and shared by every request meanwhile; a failed read is not kept,
// so the next request tries again instead of serving the failure for the whole period.
export const cachedFor = <A>(ttlMs: number, load: () => Promise<A>): (() => Promise<A>) => {
  let cached: { at: number; value: Promise<A> } | undefined;
  return () => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > ttlMs) {
      const value = load();
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
};
