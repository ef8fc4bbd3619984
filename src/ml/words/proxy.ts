import type { Dialect } from '../../engine/index.js';
import { registerNames, withNames } from './names.js';
import { entropyBin, floorLog2, type Side, type WordSpec } from './spec.js';

/**
 * Proxy words (Spot's ProxyWordCreation), one per request, in the client's document:
 * class_hour_method_entropyBin(fulluri)_mimeTop_⌊log₂ useragentCount⌋_⌊log₂ |fulluri|⌋_respcode,
 * where useragentCount is how many of the day's requests carry this exact user agent. It is
 * counted once, over the day's events, and the same count makes the words of training (feedback
 * rows included) and of scoring: counted over training, a rated user agent would count dupfactor
 * times more in training than in scoring, and its requests would get a word training never saw.
 */
/** Requests without a user agent share one count, as Spot's '-' did. */
const userAgent = (alias: string) => `coalesce(${alias}.useragent, '-')`;

export const proxyWords: WordSpec = {
  inputs: ['ts', 'clientip', 'host', 'reqmethod', 'useragent', 'resconttype', 'fulluri', 'respcode'],
  type: 'proxy',
  valid: () => 'clientip IS NOT NULL AND host IS NOT NULL AND fulluri IS NOT NULL',
  async prepare(engine, { events, training }, config) {
    const valid = this.valid(engine.dialect);
    await registerNames(
      engine,
      `SELECT DISTINCT host AS name FROM ${training} AS e WHERE ${valid}`,
      `SELECT DISTINCT clientip AS client, host AS name FROM ${training} AS e WHERE ${valid}`,
      config,
    );
    await engine.run(
      `CREATE OR REPLACE TEMP TABLE ml_user_agents AS SELECT ${userAgent('e')} AS ua, count(*) AS n FROM ${events} AS e WHERE ${valid} GROUP BY 1`,
    );
  },
  // A user agent the day never saw (a feedback row of another day) counts 0, binned as 1 is (⌊log₂⌋ of ≤ 1 is 0).
  relation: (events) =>
    `(SELECT r.*, coalesce(u.n, 0) AS ml_ua_count FROM ${withNames(events, 'host')} AS r LEFT JOIN ml_user_agents AS u ON u.ua = ${userAgent('r')})`,
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
