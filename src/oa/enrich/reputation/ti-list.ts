import { basename, extname } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { AddressMap } from '../address-map.js';
import { readLines, type Warn } from '../files.js';
import type { TiListConfig } from '../config.js';
import { cleanLabel, type IndicatorKind, type Level, type ReputationProvider, type Verdict } from './provider.js';
import { formatFromHeader, parseListLine, stripPort, type ConcreteFormat } from './ti-formats.js';
import { DomainIndex, normaliseDomain, normaliseUrl } from './indicators.js';

/**
 * A local threat-intel list (plain, CSV or an abuse.ch export) as a provider. IPs, CIDRs and ranges match by the most
 * specific entry; "*.example.com" matches example.com and every name under it, a bare name only itself; URLs match
 * after normalisation (scheme and host in lower case, default port and fragment dropped).
 */
export class ThreatIntelList implements ReputationProvider {
  readonly kinds: readonly IndicatorKind[] = ['ip', 'domain', 'url'];
  readonly ips = new AddressMap<Verdict>();
  readonly domains = new DomainIndex<Verdict>();
  readonly urls = new Map<string, Verdict>();

  private constructor(readonly name: string) {}

  /** Read a list; bad lines are reported (file:line: reason) and skipped; an unreadable file is an InputError. */
  static async load(config: TiListConfig, path: string, warn: Warn): Promise<ThreatIntelList> {
    const list = new ThreatIntelList(config.source || basename(path, extname(path)));
    let format: ConcreteFormat | null = config.format === 'auto' ? null : config.format;
    let comments = '';
    let entries = 0;
    let dataLines = 0;
    for await (const { line, number } of readLines(path)) {
      const text = line.trim();
      if (text === '') continue;
      if (text.startsWith('#')) {
        if (format === null) comments += `${text}\n`;
        continue;
      }
      format ??= formatFromHeader(comments) ?? (text.includes(',') ? 'csv' : 'plain');
      try {
        for (const item of parseListLine(format, text, ++dataLines === 1)) {
          list.add(item.indicator, { level: item.level ?? (config.level as Level), source: list.name, label: cleanLabel(item.label ?? 'listed') });
          entries++;
        }
      } catch (e) {
        warn(new InputError(path, `${(e as Error).message}; line skipped`, { line: number }).message);
      }
    }
    if (entries === 0) warn(new InputError(path, 'the threat-intel list has no usable entry').message);
    return list;
  }

  /** Add one indicator; throws when it is none of IP, CIDR, range, domain or URL. */
  add(indicator: string, verdict: Verdict): void {
    const text = indicator.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      const url = normaliseUrl(text);
      if (url === null) throw new Error(`${JSON.stringify(indicator)} is not a valid URL`);
      this.urls.set(url, verdict);
      return;
    }
    const address = stripPort(text);
    if (/^[\d.]+(\/\d+)?$|:|^[\d.]+-[\d.]+$/.test(address)) {
      this.ips.add(address, verdict); // throws with the reason when malformed
      return;
    }
    const wildcard = text.startsWith('*.');
    const name = normaliseDomain(wildcard ? text.slice(2) : text);
    if (name === null) throw new Error(`${JSON.stringify(indicator)} is not an IP address, CIDR, domain or URL`);
    this.domains.add(name, wildcard, verdict);
  }

  async lookup(kind: IndicatorKind, values: readonly string[]): Promise<Map<string, Verdict>> {
    const out = new Map<string, Verdict>();
    for (const v of values) {
      const hit = kind === 'ip' ? this.ips.get(v) : kind === 'domain' ? this.domains.get(v) : this.urls.get(normaliseUrl(v) ?? v);
      if (hit) out.set(v, hit);
    }
    return out;
  }
}
