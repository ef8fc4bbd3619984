import { InputError } from '../../shared/errors.js';
import { AddressMap } from './address-map.js';
import { readLines, splitCsvLine, type Warn } from './files.js';

/**
 * Read a network-context file: one "network label" per line, where network is an address, a CIDR or a range
 * "first-last" (IPv4 or IPv6) and the label names the zone ("DMZ", "VPN", "Finance servers"). The two are separated
 * by a comma (CSV, label quoted when it holds one), a tab or spaces. "#" starts a comment; a first line whose network
 * does not parse is taken as a CSV header. A bad line is reported (file:line: reason) and skipped.
 */
export async function loadNetworkContext(path: string, warn: Warn): Promise<AddressMap<string>> {
  const map = new AddressMap<string>();
  for await (const { line, number } of readLines(path)) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    let network: string;
    let label: string;
    try {
      [network, label] = splitEntry(text);
    } catch (e) {
      warn(new InputError(path, (e as Error).message, { line: number }).message);
      continue;
    }
    try {
      if (label === '') throw new Error(`${JSON.stringify(network)} has no label`);
      map.add(network, label);
    } catch (e) {
      if (number === 1 && text.includes(',')) continue; // a header such as "network,label"
      warn(new InputError(path, (e as Error).message, { line: number }).message);
    }
  }
  return map;
}

function splitEntry(text: string): [string, string] {
  const cut = text.search(/[,\t ]/);
  if (cut < 0) return [text, ''];
  const network = text.slice(0, cut).replace(/^"(.*)"$/, '$1');
  const rest = text.slice(cut + 1).trim();
  // A quoted CSV label may hold commas; an unquoted one is the rest of the line.
  return [network, text[cut] === ',' && rest.startsWith('"') ? splitCsvLine(rest)[0]! : rest];
}
