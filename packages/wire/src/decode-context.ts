import type { SpanRecord } from "@meshscope/model";
import type { DecodeLimits } from "./limits.js";

/** What every decoder returns: the spans it kept and an account of what it dropped or cut. */
export interface DecodeResult {
  spans: SpanRecord[];
  /** Spans dropped one by one (OTLP partial success); the request as a whole was still valid. */
  rejectedSpans: number;
  /** Distinct human-readable reasons for the rejections, at most MAX_REJECT_REASONS. */
  rejectReasons: string[];
  /** Attribute values truncated plus attributes dropped by our limits. */
  truncatedAttributes: number;
}

const MAX_REJECT_REASONS = 10;

/** Mutable state of one decode call: limits, counters, kept spans. */
export class DecodeContext {
  readonly limits: DecodeLimits;
  readonly maxValueLength: number;
  readonly spans: SpanRecord[] = [];
  rejectedSpans = 0;
  truncatedAttributes = 0;
  private readonly reasons = new Set<string>();

  constructor(limits: DecodeLimits) {
    this.limits = limits;
    this.maxValueLength = limits.maxAttributeValueLength;
  }

  reject(reason: string): void {
    this.rejectedSpans++;
    if (this.reasons.size < MAX_REJECT_REASONS) this.reasons.add(reason);
  }

  /** Applies maxAttributeValueLength to one string value, counting a cut. */
  limitString(value: string): string {
    if (value.length <= this.maxValueLength) return value;
    this.truncatedAttributes++;
    let end = this.maxValueLength;
    // Do not split a surrogate pair: a lone high surrogate at the cut would be an invalid character.
    const last = value.charCodeAt(end - 1);
    if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
    return value.slice(0, end);
  }

  result(): DecodeResult {
    return {
      spans: this.spans,
      rejectedSpans: this.rejectedSpans,
      rejectReasons: [...this.reasons],
      truncatedAttributes: this.truncatedAttributes,
    };
  }
}

export { setAttribute } from "@meshscope/model";
