/** What geolocation and AS lookups give an address; every field null when no database knows it. */
export interface GeoRecord {
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  as_org: string | null;
}

export const emptyGeo = (): GeoRecord => ({ country: null, city: null, lat: null, lon: null, asn: null, as_org: null });

type Json = Record<string, unknown> | null | undefined;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);

/**
 * One MMDB record in either layout: MaxMind's GeoLite2/GeoIP2 (country.iso_code, city.names.en, location.latitude,
 * autonomous_system_number) or ip-location-db's flat one (country_code, city, latitude, autonomous_system_number).
 */
export function fromMmdbRecord(record: unknown): Partial<GeoRecord> {
  const r = obj(record);
  if (!r) return {};
  const cityObj = obj(r.city);
  return {
    country: str(obj(r.country)?.iso_code) ?? str(obj(r.registered_country)?.iso_code) ?? str(r.country_code),
    city: str(obj(cityObj?.names)?.en) ?? str(r.city),
    lat: num(obj(r.location)?.latitude) ?? num(r.latitude),
    lon: num(obj(r.location)?.longitude) ?? num(r.longitude),
    asn: num(r.autonomous_system_number),
    as_org: str(r.autonomous_system_organization),
  };
}

/** Fill the fields still null from a later source: the first source that knows a field wins. */
export function fillGeo(into: GeoRecord, from: Partial<GeoRecord>): void {
  for (const k of Object.keys(into) as (keyof GeoRecord)[]) if (into[k] === null && from[k] != null) (into as unknown as Record<string, unknown>)[k] = from[k];
}
