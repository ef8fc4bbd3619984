import type { Dialect } from '../../engine/index.js';
import { hasFlag, num, probeFlow } from './sql.js';

/**
 * The attempts behind the scan detectors: one row per (sip, dip, dport, proto) among the flows that `candidates` keeps
 * (a semi-join on the scan's key, so the day's other traffic is never grouped), with
 * - flows, probes (flows that look like probes: see `probeFlow`), first and last time;
 * - answered: the target sent something back from that port, either as a reverse record (nfdump's unidirectional
 *   flows: dip → sip from dport) or as packets back in the record itself (Zeek, Argus, bidirectional IPFIX);
 * - refused: the answer was a reset (RST in the reverse record's flags, or Zeek's REJ).
 *
 * `candidates` is a relation with the key columns named as in flows; `key` lists them; `reverse` holds reverseFlowsSql.
 */
export function attemptsSql(d: Dialect, flow: string, candidates: string, reverse: string, key: readonly ('sip' | 'dip' | 'dport')[], tinyPackets: number): string {
  const on = (a: string, b: string) => key.map((k) => `${a}.${k} = ${b}.${k}`).concat(`${a}.proto = ${b}.proto`).join(' AND ');
  // A record answering one that started earlier (a server's SYN-ACK or RST to a scanner's probe, in nfdump's
  // unidirectional flows) is a reply, not an attempt: the server's answers to a sweep must not make it a scanner.
  const initiators = `SELECT r.sip, r.dip, r.sport, r.dport, r.proto, min(r.tstart) AS t0 FROM ${reverse} AS r GROUP BY r.sip, r.dip, r.sport, r.dport, r.proto`;
  const forward =
    `SELECT f.sip, f.dip, f.dport, f.proto, count(*) AS flows, sum(CASE WHEN ${probeFlow(d, 'f', tinyPackets)} THEN 1 ELSE 0 END) AS probes, ` +
    `max(CASE WHEN coalesce(f.opkt, 0) > 0 THEN 1 ELSE 0 END) AS answered_in_record, max(CASE WHEN f.state = 'REJ' THEN 1 ELSE 0 END) AS rejected, ` +
    `min(f.tstart) AS first_seen, max(f.tend) AS last_seen ` +
    `FROM ${flow} AS f JOIN ${candidates} AS c ON ${on('f', 'c')} ` +
    `LEFT JOIN (${initiators}) AS i ON i.sip = f.dip AND i.dip = f.sip AND i.sport = f.dport AND i.dport = f.sport AND i.proto = f.proto ` +
    `WHERE i.t0 IS NULL OR i.t0 >= f.tstart GROUP BY f.sip, f.dip, f.dport, f.proto`;
  const replies =
    `SELECT r.dip AS sip, r.sip AS dip, r.sport AS dport, r.proto, max(CASE WHEN ${hasFlag('r.flag', 'R')} THEN 1 ELSE 0 END) AS reset ` +
    `FROM ${reverse} AS r GROUP BY r.dip, r.sip, r.sport, r.proto`;
  return (
    `SELECT a.sip, a.dip, a.dport, a.proto, a.flows, a.probes, a.first_seen, a.last_seen, ` +
    `CASE WHEN y.sip IS NOT NULL OR a.answered_in_record = 1 THEN 1 ELSE 0 END AS answered, ` +
    `CASE WHEN coalesce(y.reset, 0) = 1 OR a.rejected = 1 THEN 1 ELSE 0 END AS refused ` +
    `FROM (${forward}) AS a LEFT JOIN (${replies}) AS y ON y.sip = a.sip AND y.dip = a.dip AND y.dport = a.dport AND y.proto = a.proto`
  );
}

/**
 * The reverse direction of the candidates' flows (sip, dip, sport, dport, proto, tstart, flag): the answers to their
 * attempts, and the attempts their replies answer. Read once, as a table, by attemptsSql.
 */
export function reverseFlowsSql(flow: string, candidates: string, key: readonly ('sip' | 'dip' | 'dport')[]): string {
  const reverseOn = key
    .map((k): string => (k === 'sip' ? 'r.dip = c.sip' : k === 'dip' ? 'r.sip = c.dip' : 'r.sport = c.dport'))
    .concat('r.proto = c.proto')
    .join(' AND ');
  return `SELECT r.sip, r.dip, r.sport, r.dport, r.proto, r.tstart, r.flag FROM ${flow} AS r JOIN ${candidates} AS c ON ${reverseOn}`;
}

/** Scans are judged on TCP and UDP only: ICMP's "port" is its type and code. */
export const SCANNED_PROTOCOLS = `('TCP', 'UDP')`;

/** Keys of the scan's candidates: those with at least `min` distinct values of `counted`. */
export function candidatesSql(flow: string, key: readonly string[], counted: string, min: number): string {
  const cols = [...key, 'proto'].map((k) => `f.${k}`).join(', ');
  return `SELECT ${cols} FROM ${flow} AS f WHERE f.proto IN ${SCANNED_PROTOCOLS} GROUP BY ${cols} HAVING count(DISTINCT f.${counted}) >= ${num(min)}`;
}
