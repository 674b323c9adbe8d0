/**
 * Builds the `labels` object of one series at a time, for the text parser and the remote-write decoder.
 *
 * Why not just assign into `Object.create(null)`: V8 keeps such objects (and any object given more than a dozen
 * properties by keyed stores) in dictionary mode, ~1.8 KB for an Istio series with 24 labels, and building
 * 20,000 of them per scrape was most of the parse time (measured: ~20x slower to build, ~5x larger than a
 * fast-mode object). Consecutive series of a family have the same label names in the same order, so we keep a
 * fast-mode template object with those keys, copy it with a spread (which keeps its shape), fill in the values,
 * and only then drop the prototype. The result still has a null prototype, so a label named `constructor` or
 * `toString` is data and an absent one reads as `undefined`.
 *
 * A few templates are kept, most recent first: a histogram's `_bucket` series carry `le` and its `_sum` and
 * `_count` do not, so the series of one family alternate between name lists, and one template was rebuilt twice
 * per histogram.
 */
const MAX_TEMPLATES = 4;

interface Template {
  names: string[];
  object: Record<string, string>;
}

export class LabelSetBuilder {
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private count = 0;
  private readonly templates: Template[] = [];

  reset(): void {
    this.count = 0;
  }

  add(name: string, value: string): void {
    this.names[this.count] = name;
    this.values[this.count] = value;
    this.count++;
  }

  /** Linear: for rare checks only (empty-valued labels, which are not added). */
  has(name: string): boolean {
    for (let i = 0; i < this.count; i++) if (this.names[i] === name) return true;
    return false;
  }

  /** The labels added since `reset()`. Calls `onDuplicate` (which must throw) when a name was added twice. */
  build(onDuplicate: (name: string) => never): Record<string, string> {
    const { names, values, count } = this;
    const template = this.knownTemplate() ?? this.makeTemplate(onDuplicate);
    if (template === undefined) return this.buildSlowly(onDuplicate);
    const labels: Record<string, string> = { ...template };
    for (let i = 0; i < count; i++) labels[names[i] ?? ""] = values[i] ?? "";
    Object.setPrototypeOf(labels, null);
    return labels;
  }

  /** The template with exactly the names added since `reset()`, in order; moved to the front. */
  private knownTemplate(): Record<string, string> | undefined {
    const templates = this.templates;
    for (let t = 0; t < templates.length; t++) {
      const template = templates[t];
      if (template === undefined || !this.sameNames(template.names)) continue;
      if (t > 0) {
        templates.splice(t, 1);
        templates.unshift(template);
      }
      return template.object;
    }
    return undefined;
  }

  private sameNames(names: readonly string[]): boolean {
    if (names.length !== this.count) return false;
    for (let i = 0; i < this.count; i++) if (names[i] !== this.names[i]) return false;
    return true;
  }

  /** A fast-mode object with this name list as keys, or undefined when a name is `__proto__`, which a plain
   * object cannot hold as data before its prototype is dropped (the slow path handles it). */
  private makeTemplate(onDuplicate: (name: string) => never): Record<string, string> | undefined {
    const names = this.names.slice(0, this.count);
    if (names.includes("__proto__")) return undefined;
    const template: Record<string, string> = Object.fromEntries(names.map((n) => [n, ""]));
    if (Object.keys(template).length !== names.length) {
      const seen = new Set<string>();
      for (const n of names) {
        if (seen.has(n)) onDuplicate(n);
        seen.add(n);
      }
    }
    this.templates.unshift({ names, object: template });
    if (this.templates.length > MAX_TEMPLATES) this.templates.pop();
    return template;
  }

  private buildSlowly(onDuplicate: (name: string) => never): Record<string, string> {
    const labels: Record<string, string> = Object.create(null);
    for (let i = 0; i < this.count; i++) {
      const name = this.names[i] ?? "";
      if (Object.hasOwn(labels, name)) onDuplicate(name);
      labels[name] = this.values[i] ?? "";
    }
    return labels;
  }
}
