/** The label that means "no threat"; every other label is a threat class. */
export const noThreatLabel = 'other';

/** Evaluation figures of a threat classifier; `confusion[truth][predicted]` counts images. */
export interface ThreatEvaluation {
  readonly images: number;
  readonly accuracy: number;
  readonly balanced_accuracy: number;
  /** Share of threat images classified as `other` (a missed threat). */
  readonly threat_miss_rate: number;
  /** Share of `other` images classified as some threat (an analyst's wasted look). */
  readonly false_alarm_rate: number;
  /** Recall of each true label. */
  readonly recall: Record<string, number>;
  readonly confusion: Record<string, Record<string, number>>;
}

/**
 * Scores predictions against true labels. Balanced accuracy is the mean recall over the true labels
 * present, so the large gun class cannot hide a weak razor-blade class. Rates with an empty denominator
 * are 0.
 */
export function evaluateThreatPredictions(
  truth: readonly string[],
  predicted: readonly string[],
): ThreatEvaluation {
  if (truth.length !== predicted.length) throw new RangeError('truth and predictions differ in length');
  const labels = [...new Set([...truth, ...predicted])].sort();
  const confusion: Record<string, Record<string, number>> = {};
  for (const row of labels) confusion[row] = Object.fromEntries(labels.map((column) => [column, 0]));
  let correct = 0;
  let threats = 0;
  let missed = 0;
  let clear = 0;
  let falseAlarms = 0;
  truth.forEach((actual, index) => {
    const guess = predicted[index];
    confusion[actual][guess] += 1;
    if (actual === guess) correct += 1;
    if (actual === noThreatLabel) {
      clear += 1;
      if (guess !== noThreatLabel) falseAlarms += 1;
    } else {
      threats += 1;
      if (guess === noThreatLabel) missed += 1;
    }
  });
  const recall: Record<string, number> = {};
  for (const label of new Set(truth)) {
    const row = confusion[label];
    const total = Object.values(row).reduce((sum, count) => sum + count, 0);
    recall[label] = row[label] / total;
  }
  const recalls = Object.values(recall);
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
  return {
    images: truth.length,
    accuracy: ratio(correct, truth.length),
    balanced_accuracy: ratio(
      recalls.reduce((sum, value) => sum + value, 0),
      recalls.length,
    ),
    threat_miss_rate: ratio(missed, threats),
    false_alarm_rate: ratio(falseAlarms, clear),
    recall,
    confusion,
  };
}
