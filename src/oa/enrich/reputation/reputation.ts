import type { IndicatorKind, Level, ReputationProvider, Verdict } from './provider.js';

/** The merged reputation of one indicator, as the OA tables store it. */
export interface RepSummary {
  /** Spot's form: "source:label:level", several sources joined by "::", strongest first. */
  readonly rep: string;
  /** The highest level any source gave. */
  readonly level: Level;
  /** The sources that gave that level, comma-separated. */
  readonly source: string;
}

/** Every configured provider asked together; one summary per indicator that at least one of them knows. */
export class Reputation {
  constructor(readonly providers: readonly ReputationProvider[]) {}

  /** Whether any provider judges this kind of indicator (without one, every verdict is empty). */
  judges(kind: IndicatorKind): boolean {
    return this.providers.some((p) => p.kinds.includes(kind));
  }

  /** `isInternal` keeps internal addresses (and names) away from online providers. */
  async judge(kind: IndicatorKind, values: readonly string[], isInternal: (value: string) => boolean = () => false): Promise<Map<string, RepSummary>> {
    const asked = this.providers.filter((p) => p.kinds.includes(kind));
    const out = new Map<string, RepSummary>();
    if (asked.length === 0 || values.length === 0) return out;
    const external = asked.some((p) => p.online) ? values.filter((v) => !isInternal(v)) : values;
    const answers = await Promise.all(asked.map((p) => p.lookup(kind, p.online ? external : values)));
    for (const value of values) {
      const verdicts = answers.map((a) => a.get(value)).filter((v): v is Verdict => v !== undefined);
      if (verdicts.length) out.set(value, summarise(verdicts));
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.close?.()));
  }
}

export function summarise(verdicts: readonly Verdict[]): RepSummary {
  const sorted = [...verdicts].sort((a, b) => b.level - a.level || a.source.localeCompare(b.source));
  const level = sorted[0]!.level;
  return {
    rep: sorted.map((v) => `${v.source}:${v.label}:${v.level}`).join('::'),
    level,
    source: sorted.filter((v) => v.level === level).map((v) => v.source).join(','),
  };
}
