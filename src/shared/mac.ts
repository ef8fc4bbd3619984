const MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

/**
 * The canonical text of an Ethernet address: six lower-case, zero-padded octets joined by
 * colons ("0:1b:2c:d:e:f" becomes "00:1b:2c:0d:0e:0f"). Null when the text is not one.
 */
export function canonicalMac(text: string): string | null {
  if (!MAC.test(text)) return null;
  return text
    .toLowerCase()
    .split(':')
    .map((octet) => octet.padStart(2, '0'))
    .join(':');
}
