/**
 * Reputation on Apache Spot's scale: -1 unverified (asked, no answer could be had), 0 none (known, nothing against
 * it), 1 low, 2 medium, 3 high.
 */
export type Level = -1 | 0 | 1 | 2 | 3;

export type IndicatorKind = 'ip' | 'domain' | 'url';

/** One source's judgement of one indicator. */
export interface Verdict {
  readonly level: Level;
  /** The source that judged: a list's name, "abuseipdb" … */
  readonly source: string;
  /** What it says, short: "Emotet", "malware_download", "confidence 87%". */
  readonly label: string;
}

/**
 * A plug-in reputation source. It is asked in batches of distinct values of one kind and answers only for the values
 * it knows; the caller merges the answers of every provider.
 */
export interface ReputationProvider {
  readonly name: string;
  readonly kinds: readonly IndicatorKind[];
  /** An online service: it is never sent internal addresses. */
  readonly online?: boolean;
  lookup(kind: IndicatorKind, values: readonly string[]): Promise<Map<string, Verdict>>;
  /** Flush caches and release resources. */
  close?(): Promise<void>;
}

/** Label text safe inside Spot's "source:label:level" form. */
export function cleanLabel(text: string): string {
  return text.replace(/[:\s]+/g, ' ').trim().slice(0, 80) || 'listed';
}
