import type { Dialect } from '../../engine/index.js';
import { registerNames, withNames } from './names.js';
import { entropyBin, floorLog2, type Side, type WordSpec } from './spec.js';

/**
 * Proxy words (Spot's ProxyWordCreation), one per request, in the client's document:
 * class_hour_method_entropyBin(fulluri)_mimeTop_⌊log₂ useragentCount⌋_⌊log₂ |fulluri|⌋_respcode,
 * where useragentCount is how many requests of the day carry this exact user agent.
 */
export const proxyWords: WordSpec = {
  inputs: ['ts', 'clientip', 'host', 'reqmethod', 'useragent', 'resconttype', 'fulluri', 'respcode'],
  type: 'proxy',
  valid: () => 'clientip IS NOT NULL AND host IS NOT NULL AND fulluri IS NOT NULL',
  async prepare(engine, events, config) {
    const valid = this.valid(engine.dialect);
    await registerNames(
      engine,
      `SELECT DISTINCT host AS name FROM ${events} AS e WHERE ${valid}`,
      `SELECT DISTINCT clientip AS client, host AS name FROM ${events} AS e WHERE ${valid}`,
      config,
    );
  },
  relation: (events) =>
    `(SELECT *, count(*) OVER (PARTITION BY coalesce(useragent, '-')) AS ml_ua_count FROM ${withNames(events, 'host')})`,
  sides(d: Dialect): readonly Side[] {
    const mime = `coalesce(nullif(split_part(coalesce(resconttype, '-'), '/', 1), ''), 'unknown_content_type')`;
    const parts = [
      'CAST(ml_class AS VARCHAR)',
      'CAST(hour(ts) AS VARCHAR)',
      "coalesce(reqmethod, '-')",
      `CAST(${entropyBin(d.stringEntropy('fulluri'))} AS VARCHAR)`,
      mime,
      `CAST(${floorLog2('ml_ua_count')} AS VARCHAR)`,
      `CAST(${floorLog2('length(fulluri)')} AS VARCHAR)`,
      "coalesce(CAST(respcode AS VARCHAR), 'unknown_response_code')",
    ];
    return [{ doc: d.ident('clientip'), word: `concat_ws('_', ${parts.join(', ')})` }];
  },
};
