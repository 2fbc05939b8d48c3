/** What `fn` throws (null when it returns): for asserting an error's type and fields. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}
