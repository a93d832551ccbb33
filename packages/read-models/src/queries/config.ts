// What evaluation is configured by. Changing these needs no rebuild: rates are computed when asked.
import { type ProblemGrade, responseWindowDays } from '@banshishi/core';

export interface EvaluationConfig {
  /**
   * Days from solicitation within which a claim counts as a response (12345 hotline draft standard); also
   * the windows of overdue. The defaults are core's, which 督办 checks with: other windows make the board
   * flag problems the office cannot supervise as overdue, or the reverse.
   */
  readonly responseWindowDays: Readonly<Record<ProblemGrade, number>>;
  /** Weights of the composite score; rates without data are left out and the rest re-weighted. */
  readonly weights: {
    readonly response: number;
    readonly resolution: number;
    readonly satisfaction: number;
    readonly onTime: number;
  };
  /** Units with fewer counted items stay out of rankings (a unit with 1 item must not top one). */
  readonly minItemsForRanking: number;
}

export const defaultEvaluationConfig: EvaluationConfig = {
  responseWindowDays,
  weights: { response: 0.25, resolution: 0.3, satisfaction: 0.3, onTime: 0.15 },
  minItemsForRanking: 5,
};

export const withDefaults = (config: Partial<EvaluationConfig> = {}): EvaluationConfig => ({
  ...defaultEvaluationConfig,
  ...config,
  responseWindowDays: { ...defaultEvaluationConfig.responseWindowDays, ...config.responseWindowDays },
  weights: { ...defaultEvaluationConfig.weights, ...config.weights },
});
