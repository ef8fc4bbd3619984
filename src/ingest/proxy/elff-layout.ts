/**
 * The layout of W3C extended / ELFF records (Blue Coat ProxySG, IIS …): which field of a line
 * holds what, from the names of a "#Fields:" directive or from a known positional layout.
 * @module
 */

/** What a field holds, for the fields the proxy table uses. */
type ElffRole =
  | 'date' | 'time' | 'unixTime' | 'timeTaken' | 'clientIp' | 'username' | 'authGroup' | 'exceptionId' | 'filterResult' | 'categories'
  | 'referer' | 'status' | 'action' | 'method' | 'contentType' | 'scheme' | 'host' | 'port' | 'path' | 'query' | 'extension' | 'uri'
  | 'userAgent' | 'remoteIp' | 'supplierIp' | 'serverIp' | 'serverPort' | 'scBytes' | 'csBytes' | 'virusId' | 'appName' | 'appOperation';

/** Field names (lower case: W3C names are matched without case) and what they hold. */
const ROLES: ReadonlyMap<string, ElffRole> = new Map(
  Object.entries({
    date: 'date',
    time: 'time',
    'x-timestamp-unix': 'unixTime',
    'time-taken': 'timeTaken',
    'c-ip': 'clientIp',
    'cs-username': 'username',
    'cs-auth-group': 'authGroup',
    'x-exception-id': 'exceptionId',
    'sc-filter-result': 'filterResult',
    'cs-categories': 'categories',
    'cs(referer)': 'referer',
    'sc-status': 'status',
    's-action': 'action',
    'cs-method': 'method',
    'rs(content-type)': 'contentType',
    'sc(content-type)': 'contentType',
    'cs-uri-scheme': 'scheme',
    'cs-host': 'host',
    'cs(host)': 'host',
    'cs-uri-host': 'host',
    'cs-uri-hostname': 'host',
    'cs-uri-port': 'port',
    'cs-uri-path': 'path',
    'cs-uri-stem': 'path',
    'cs-uri-query': 'query',
    'cs-uri-extension': 'extension',
    'cs-uri': 'uri',
    'cs(user-agent)': 'userAgent',
    'r-ip': 'remoteIp',
    's-supplier-ip': 'supplierIp',
    's-ip': 'serverIp',
    's-port': 'serverPort',
    'sc-bytes': 'scBytes',
    'cs-bytes': 'csBytes',
    'x-virus-id': 'virusId',
    'x-bluecoat-application-name': 'appName',
    'x-bluecoat-application-operation': 'appOperation',
  } satisfies Record<string, ElffRole>),
);

export interface ElffLayout {
  /** Field names as written, for details. */
  readonly names: readonly string[];
  /** Where each role's field is in a line; absent roles are not in the log. */
  readonly at: Readonly<Partial<Record<ElffRole, number>>>;
  /** Where this layout comes from, for details: "#Fields header", "Spot's default order" … */
  readonly source: string;
}

export function elffLayout(names: readonly string[], source: string): ElffLayout {
  const at: Partial<Record<ElffRole, number>> = {};
  names.forEach((name, i) => {
    const role = ROLES.get(name.toLowerCase());
    if (role !== undefined && at[role] === undefined) at[role] = i;
  });
  return { names, at, source };
}

/** The field names of a "#Fields: …" directive line, or null when the line is another directive. */
export function fieldsDirective(line: string): string[] | null {
  if (!/^#fields:/i.test(line)) return null;
  return line.slice('#Fields:'.length).trim().split(/\s+/).filter((n) => n !== '');
}

/**
 * Fields that only Blue Coat ProxySG writes: a #Fields header naming one of them is Blue Coat's,
 * whatever its #Software line says.
 */
const BLUECOAT_FIELDS = ['s-action', 'sc-filter-result', 'x-exception-id', 'cs-categories', 'cs-auth-group', 's-supplier-name', 's-hierarchy', 'x-virus-id'];

export function isBluecoatField(name: string): boolean {
  const lower = name.toLowerCase();
  return BLUECOAT_FIELDS.includes(lower) || lower.startsWith('x-bluecoat-') || lower.startsWith('x-bc-');
}
