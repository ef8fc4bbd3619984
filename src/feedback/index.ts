/**
 * The noise filter: analysts' ratings and suppression rules in a transactional store beside the lake
 * (<lake>/_state/feedback.duckdb), applied to any list at query time (`suppressionSql`), fed to ML as Spot's
 * low-risk training rows (`writeTrainingFeedback`) and measured (`evaluateAgainstRatings`). docs/noise-filter.md.
 * @module
 */
export { Feedback } from './feedback.js';
export { FeedbackStore, storePathFor, STATE_DIR, type StoreOptions } from './store.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { ratings, rules, changes, changeItems, type RatingRow, type RuleRow, type ChangeRow, type ChangeItemRow } from './tables.js';
export { rate, listRatings, resetDay, checkDay, type RatingInput, type RatingFilter, type RatingValue } from './ratings.js';
export { SPEC_FIELDS, normaliseSpec, type MatchSpec } from './rating-spec.js';
export { addRule, deleteRule, ruleFromRating, ruleFieldsFromRating, listRules, importRules } from './rules.js';
export { normaliseRule, parseExpiry, RULE_FILE_FIELDS, CONDITION_FIELDS, type RuleFields } from './rule-spec.js';
export { readRuleFile, parseRuleCsv, parseRuleYaml, rulesCsv, rulesYaml, ruleFormatOf, type RuleFormat } from './rule-file.js';
export { listChanges, undoChange } from './changes.js';
export { suppressionSql, suppressionWith, type SuppressRequest, type Suppression } from './suppress.js';
export { RELATION_KINDS, isRelationKind, type RelationKind } from './relations.js';
export { writeTrainingFeedback, TRAINING_SOURCES, type TrainingRequest, type TrainingSource, type TrainingSummary } from './learning.js';
export { listView, listOrder, suppressedList } from './lists.js';
export { evaluateAgainstRatings, evaluateAgainstLabels, daysBetween, type RatingPrecision, type LabelPrecision } from './eval.js';
export { feedbackRankFilter, type RankFilterRequest } from './rank-filter.js';
export { threatListSql } from './threat-list.js';
