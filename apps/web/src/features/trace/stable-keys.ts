/**
 * React keys for rows that carry no id of their own (a span's events and links). The key is the row's content
 * plus how many rows with the same content came before it, so it stays the same across renders of the same
 * span, and exact repeats (an SDK may record the same event twice in one µs) still get distinct keys.
 */
export function withStableKeys<T>(items: readonly T[], contentKey: (item: T) => string): { key: string; item: T }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const content = contentKey(item);
    const repeat = seen.get(content) ?? 0;
    seen.set(content, repeat + 1);
    // The repeat count leads and is followed by a separator, so no content can forge another row's key.
    return { key: `${repeat}:${content}`, item };
  });
}
