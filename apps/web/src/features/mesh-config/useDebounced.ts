import { useEffect, useState } from "react";

/** `value`, but only after it has stopped changing for `delayMs` (validation on every keystroke would be a storm). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
