/**
 * The evaluation's inputs composed of its sources (decision 0019): for a page
 * of subjects, each gatherer is asked once, for the metrics it declares that
 * the system needs, and the readings are merged per subject. A metric no
 * gatherer declares gets no reading: the computation counts it as 0 and its
 * explanation says the figure is missing, which is the honest answer until a
 * source for it is wired.
 */
import type { MetricKey, MetricReading } from '../../domain/evaluation.js';
import type { EvaluationInputs, MetricGatherer, SubjectCard } from './ports.js';

export function gatheredInputs(gatherers: readonly MetricGatherer[]): EvaluationInputs {
  const owners = new Map<MetricKey, MetricGatherer>();
  for (const gatherer of gatherers)
    for (const metric of gatherer.metrics) {
      // Two sources of one figure would make a result depend on which answered last.
      if (owners.has(metric)) throw new Error(`Two gatherers declare the metric ${metric}.`);
      owners.set(metric, gatherer);
    }

  return {
    async collect(year, subjects, metrics) {
      const readings = new Map<string, MetricReading[]>(
        subjects.map((subject: SubjectCard) => [subject.subjectId, []]),
      );
      if (subjects.length === 0) return readings;
      const asked = new Map<MetricGatherer, MetricKey[]>();
      for (const metric of new Set(metrics)) {
        const owner = owners.get(metric);
        if (owner !== undefined) asked.set(owner, [...(asked.get(owner) ?? []), metric]);
      }
      const answers = await Promise.all(
        [...asked].map(([gatherer, wanted]) => gatherer.gather(year, subjects, wanted)),
      );
      for (const [index, answer] of answers.entries()) {
        const wanted = new Set([...asked.values()][index]);
        for (const [subjectId, subjectReadings] of answer) {
          const merged = readings.get(subjectId);
          // Readings of subjects not on the page, or of metrics not asked of this source, are not ours to keep.
          if (merged === undefined) continue;
          for (const reading of subjectReadings)
            if (wanted.has(reading.metric)) merged.push(reading);
        }
      }
      return readings;
    },
  };
}
