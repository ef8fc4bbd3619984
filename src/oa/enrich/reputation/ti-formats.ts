import { splitCsvLine } from '../files.js';
import type { Level } from './provider.js';

/** One indicator read from a list line: its text as listed (an IP, CIDR, range, domain, "*.domain" or URL). */
export interface ListedIndicator {
  readonly indicator: string;
  readonly label?: string;
  readonly level?: Level;
}

export type ConcreteFormat = 'plain' | 'csv' | 'feodo' | 'urlhaus' | 'threatfox' | 'sslbl';

/** Recognise an abuse.ch export from its comment header. */
export function formatFromHeader(comments: string): ConcreteFormat | null {
  if (/feodo tracker/i.test(comments)) return 'feodo';
  if (/threatfox/i.test(comments)) return 'threatfox';
  if (/urlhaus/i.test(comments)) return 'urlhaus';
  if (/sslbl|ssl blacklist|#\s*firstseen,dstip/i.test(comments)) return 'sslbl';
  return null;
}

const HOSTS_SINKS = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);

/**
 * The indicators of one data line (not a comment). Returns [] for a line the format skips on purpose (a header, a
 * hash IOC); throws with the reason for a line it cannot read.
 */
export function parseListLine(format: ConcreteFormat, line: string, firstDataLine: boolean): ListedIndicator[] {
  switch (format) {
    case 'plain': {
      // One indicator a line; hosts-file lines ("0.0.0.0 evil.example") give their name.
      const tokens = line.replace(/\s#.*$/, '').trim().split(/\s+/);
      if (tokens.length === 2 && HOSTS_SINKS.has(tokens[0]!)) return [{ indicator: tokens[1]! }];
      if (tokens.length > 1) throw new Error(`expected one indicator a line, found ${JSON.stringify(line)}`);
      return [{ indicator: tokens[0]! }];
    }
    case 'csv': {
      const [indicator, label, level] = splitCsvLine(line);
      if (firstDataLine && /^(indicator|ioc|value|ip|domain|url|network)$/i.test(indicator ?? '')) return []; // a header
      if (level !== undefined && level !== '' && !/^(-1|[0-3])$/.test(level)) throw new Error(`${JSON.stringify(level)} is not a level (-1 … 3)`);
      return [{ indicator: indicator ?? '', label: label || undefined, level: level ? (Number(level) as Level) : undefined }];
    }
    case 'feodo': {
      // ipblocklist.txt: one IP a line; ipblocklist.csv: first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware.
      if (!line.includes(',')) return [{ indicator: line.trim(), label: 'botnet-c2' }];
      const cells = splitCsvLine(line);
      if (cells.length < 6) throw new Error(`expected 6 Feodo Tracker CSV fields, found ${cells.length}`);
      return [{ indicator: cells[1]!, label: cells[5] || 'botnet-c2', level: cells[3] === 'offline' ? 2 : 3 }];
    }
    case 'urlhaus': {
      // csv export: id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter; text export: one URL.
      if (!line.startsWith('"') && !line.includes(',')) return [{ indicator: line.trim(), label: 'malware_download' }];
      const cells = splitCsvLine(line);
      if (cells.length < 6) throw new Error(`expected 9 URLhaus CSV fields, found ${cells.length}`);
      return [{ indicator: cells[2]!, label: cells[5] || 'malware_download', level: cells[3] === 'offline' ? 2 : 3 }];
    }
    case 'threatfox': {
      // first_seen_utc,ioc_id,ioc_value,ioc_type,threat_type,fk_malware,malware_alias,malware_printable,last_seen_utc,confidence_level,…
      const cells = splitCsvLine(line);
      if (cells.length < 10) throw new Error(`expected 14 ThreatFox CSV fields, found ${cells.length}`);
      const [value, type, threat, malware, confidence] = [cells[2]!, cells[3]!, cells[4]!, cells[7]!, Number(cells[9])];
      if (!['ip:port', 'domain', 'url'].includes(type)) return []; // file hashes have no place in network data
      const level: Level = confidence >= 75 ? 3 : confidence >= 50 ? 2 : 1;
      return [{ indicator: type === 'ip:port' ? stripPort(value) : value, label: malware || threat || 'ioc', level }];
    }
    case 'sslbl': {
      // Firstseen,DstIP,DstPort: botnet C2 servers seen by their TLS certificates.
      const cells = splitCsvLine(line);
      if (cells.length < 2) throw new Error('expected "Firstseen,DstIP,DstPort"');
      return [{ indicator: cells[1]!, label: 'botnet-c2' }];
    }
  }
}

/** "1.2.3.4:443" and "[2001:db8::1]:443" to their address. */
export function stripPort(value: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracket) return bracket[1]!;
  return /^[\d.]+:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}
