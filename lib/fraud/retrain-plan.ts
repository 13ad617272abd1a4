// "Retrain with confirmed labels": the next training run's split, chosen so that its training period holds the days
// whose alerts analysts decided (their decisions are the transactions' labels, source 'triage'), with the previous
// run's delay and test length after it. Pure; the overview page shows the plan and the action enqueues it.

import type { FraudTrainConfig, FraudTrainInput } from './index';

export type DecidedDay = { day: number; confirmed: number; falsePositive: number };

export type RetrainPlan =
  | {
      ok: true;
      config: FraudTrainInput;
      train: { fromDay: number; toDay: number };
      test: { fromDay: number; toDay: number };
      confirmed: number;
      falsePositive: number;
      /** set when the test period had to be shortened to fit the history */
      note: string | null;
    }
  | { ok: false; reason: string };

const DAY_MS = 86_400_000;
const date = (startMs: number, day: number) => new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);

export function planRetrain(input: {
  source: 'simulator' | 'ulb';
  startMs: number;
  /** days of labelled history */
  days: number;
  previous: FraudTrainConfig | null;
  decided: DecidedDay[];
}): RetrainPlan {
  const { previous: prev, startMs } = input;
  if (input.source === 'ulb') {
    return {
      ok: false,
      reason:
        'The ULB sample is a fixed two-day extract split by row order, so a retrain cannot move its training period over the triaged test rows. Feedback retraining works on simulated datasets.',
    };
  }
  if (!prev) return { ok: false, reason: 'Train a model on this dataset first.' };
  const decided = input.decided.filter((d) => d.confirmed + d.falsePositive > 0);
  if (decided.length === 0) {
    return {
      ok: false,
      reason:
        'No alert on this dataset has been decided yet: confirm fraud or mark false positives in the queue first.',
    };
  }
  const first = Math.min(...decided.map((d) => d.day));
  const last = Math.max(...decided.map((d) => d.day));
  const trainTo = last + 1;
  const trainFrom = Math.max(0, Math.min(first, trainTo - prev.trainDays));
  const room = input.days - trainTo - prev.delayDays;
  if (room < 1) {
    return {
      ok: false,
      reason: `The decided alerts run to ${date(startMs, last)}; a training period ending there leaves no test day after the ${prev.delayDays}-day delay before the history ends (${date(startMs, input.days - 1)}). Train with an earlier test-period end to keep later days for the retrain.`,
    };
  }
  const testDays = Math.min(prev.testDays, room);
  const testFrom = trainTo + prev.delayDays;
  const confirmed = decided.reduce((s, d) => s + d.confirmed, 0);
  const falsePositive = decided.reduce((s, d) => s + d.falsePositive, 0);
  const { name: _previousName, ...rest } = prev;
  return {
    ok: true,
    config: {
      ...rest,
      name: `Retrained with ${confirmed + falsePositive} triage label${confirmed + falsePositive === 1 ? '' : 's'}`,
      trainDays: trainTo - trainFrom,
      testDays,
      testEndDay: testFrom + testDays,
    },
    train: { fromDay: trainFrom, toDay: trainTo },
    test: { fromDay: testFrom, toDay: testFrom + testDays },
    confirmed,
    falsePositive,
    note:
      testDays < prev.testDays
        ? `The test period is shortened from ${prev.testDays} to ${testDays} days to fit the history.`
        : null,
  };
}
