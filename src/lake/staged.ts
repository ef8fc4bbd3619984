/**
 * How a tool decoder (nfdump) hands records to the lake writer: the tool's own delimited text,
 * one record per line, whose fields this layout maps to canonical columns, so that no record
 * passes through JavaScript. (Row decoders hand typed rows to a RowWriter instead.)
 */
export interface StagedField {
  /** Canonical column this field fills. Fields without a column or role are ignored. */
  readonly column?: string;
  /** The field holds the record's line (text files) or record number (binary files). */
  readonly role?: 'line';
  /** Timestamps: epoch microseconds (default) or "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC. */
  readonly time?: 'epoch-us' | 'text';
  /** Replace whole values, e.g. nfdump's direction letters I/E by 0/1. */
  readonly map?: Readonly<Record<string, string | number>>;
  /** Values missing from map pass through unchanged instead of being bad fields. */
  readonly keepUnmapped?: boolean;
  /** nfdump prints ICMP type and code as "type.code" in its port column: read it as type * 256 + code. */
  readonly dottedIcmp?: boolean;
  /** nfdump 1.7.1 prints the IPv4 addresses of some v9/IPFIX records as IPv4-compatible IPv6 (::a.b.c.d): read them as IPv4. */
  readonly v4Compatible?: boolean;
  readonly upper?: boolean;
}

export interface StagedLayout {
  readonly delimiter: string;
  /** Fields may be double-quoted (RFC 4180). Off for tool output that never quotes. */
  readonly quoted: boolean;
  /** Strip blanks around every field (nfdump pads its columns). */
  readonly trim: boolean;
  readonly fields: readonly StagedField[];
  /** Columns with one value for the whole source, e.g. the sensor named in an nfcapd file. */
  readonly constants?: Readonly<Record<string, string | number | null>>;
}
