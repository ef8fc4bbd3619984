import type { EngineSession } from '../engine/index.js';
import type { TelemetryType } from '../schema/index.js';
import { listChanges, undoChange } from './changes.js';
import { writeTrainingFeedback, type TrainingRequest, type TrainingSummary } from './learning.js';
import { listRatings, rate, resetDay, type RatingFilter, type RatingInput } from './ratings.js';
import { readRuleFile, rulesCsv, rulesYaml, type RuleFormat } from './rule-file.js';
import { addRule, deleteRule, importRules, listRules, ruleFromRating, type ruleFieldsFromRating } from './rules.js';
import { FeedbackStore, type StoreOptions } from './store.js';
import { suppressionSql, type SuppressRequest, type Suppression } from './suppress.js';

/**
 * The library API (the CLI and the web API call it): every method is one transaction on the store, so each
 * write is atomic, audited and undoable.
 */
export class Feedback {
  constructor(readonly store: FeedbackStore) {}

  static forLake(lakePath: string, options?: StoreOptions): Feedback {
    return new Feedback(FeedbackStore.forLake(lakePath, options));
  }

  rate(input: RatingInput) {
    return this.store.transaction((tx) => rate(tx, input));
  }

  ratings(filter: RatingFilter = {}) {
    return this.store.transaction((tx) => listRatings(tx, filter));
  }

  reset(type: TelemetryType, day: string, analyst: string) {
    return this.store.transaction((tx) => resetDay(tx, type, day, analyst));
  }

  undo(analyst: string, changeId?: number) {
    return this.store.transaction((tx) => undoChange(tx, analyst, changeId));
  }

  changes(limit?: number) {
    return this.store.transaction((tx) => listChanges(tx, limit));
  }

  addRule(fields: Readonly<Record<string, unknown>>, analyst: string) {
    return this.store.transaction((tx) => addRule(tx, fields, analyst));
  }

  deleteRule(id: number, analyst: string) {
    return this.store.transaction((tx) => deleteRule(tx, id, analyst));
  }

  ruleFromRating(ratingId: number, analyst: string, extra?: Parameters<typeof ruleFieldsFromRating>[1]) {
    return this.store.transaction((tx) => ruleFromRating(tx, ratingId, analyst, extra));
  }

  rules(options: { activeAt?: Date } = {}) {
    return this.store.transaction((tx) => listRules(tx, options));
  }

  /** Read and check the whole file first; only a valid file reaches the store, in one change. */
  async importRules(path: string, analyst: string, options: { replace?: boolean; format?: RuleFormat } = {}) {
    const rules = await readRuleFile(path, options.format);
    return this.store.transaction((tx) => importRules(tx, rules, analyst, { replace: options.replace, source: path }));
  }

  async exportRules(format: RuleFormat): Promise<string> {
    const rules = await this.rules();
    return format === 'csv' ? rulesCsv(rules) : rulesYaml(rules);
  }

  suppression(session: EngineSession, request: SuppressRequest): Promise<Suppression> {
    return suppressionSql(session, this.store, request);
  }

  trainingFeedback(engine: EngineSession & { lakePath: string }, request: TrainingRequest): Promise<TrainingSummary> {
    return writeTrainingFeedback(engine, this.store, request);
  }
}
