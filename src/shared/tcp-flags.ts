/**
 * TCP flags in nfdump's text form, the form the flow table stores: eight positions
 * CWR ECE URG ACK PSH RST SYN FIN, a dot where a flag is unset ("...AP.S.").
 */

/** Flag bits as in the TCP header and in nfdump's records. */
export const TCP_FLAG = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 } as const;

/** The flag text of a flow that carries no TCP flags (every non-TCP flow). */
export const NO_FLAGS = '........';

const LETTERS = 'CEUAPRSF';

/** Flag bits (0-255) to nfdump's eight-position text. */
export function flagsText(bits: number): string {
  let text = '';
  for (let i = 0; i < 8; i++) text += bits & (128 >> i) ? LETTERS[i] : '.';
  return text;
}

/**
 * Flag bits from the forms nfdump has printed: eight positions ("...AP.S."), the six positions
 * of older releases without ECE and CWR ("UAPRSF"), or a number ("0x1b", "27") as with -N.
 * Null when the text is none of these.
 */
export function parseFlagsText(text: string): number | null {
  if (/^0x[0-9a-f]{1,2}$/i.test(text)) return parseInt(text.slice(2), 16);
  if (/^\d{1,3}$/.test(text)) return Number(text) <= 255 ? Number(text) : null;
  if (text.length !== 8 && text.length !== 6) return null;
  const padded = text.length === 6 ? `..${text}` : text;
  let bits = 0;
  for (let i = 0; i < 8; i++) {
    const c = padded[i];
    if (c === LETTERS[i]) bits |= 128 >> i;
    else if (c !== '.') return null;
  }
  return bits;
}
