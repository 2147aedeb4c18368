/** The indicator systems as the assessments read them: the year's current version, a past version, the freeze at the first lock. */
import type { Model } from 'mongoose';
import type { IndicatorSystem, SystemTarget } from '../../domain/evaluation.js';
import type { IndicatorSystemReader } from '../../application/evaluation/ports.js';
import type { IndicatorSystemDocument } from './evaluation-models.js';

export const indicatorSystemOf = (document: IndicatorSystemDocument): IndicatorSystem => ({
  id: document._id,
  year: document.year,
  target: document.target,
  name: document.name,
  version: document.version,
  passMark: document.passMark,
  indicators: document.indicators.map((indicator) => ({
    ...indicator,
    method: { ...indicator.method },
  })),
});

export class MongoIndicatorSystems implements IndicatorSystemReader {
  constructor(private readonly systems: Model<IndicatorSystemDocument>) {}

  async forTarget(year: number, target: SystemTarget): Promise<IndicatorSystem | undefined> {
    const document = await this.systems.findOne({ year, target }).lean<IndicatorSystemDocument>();
    return document === null ? undefined : indicatorSystemOf(document);
  }

  async atVersion(id: string, version: number): Promise<IndicatorSystem | undefined> {
    const document = await this.systems.findById(id).lean<IndicatorSystemDocument>();
    if (document === null) return undefined;
    if (document.version === version) return indicatorSystemOf(document);
    const past = document.history.find((entry) => entry.version === version);
    return past === undefined
      ? undefined
      : indicatorSystemOf({
          ...document,
          version,
          passMark: past.passMark,
          indicators: past.indicators,
        });
  }

  async freeze(id: string, at: Date): Promise<void> {
    await this.systems.updateOne({ _id: id, frozenAt: null }, { $set: { frozenAt: at } });
  }
}
