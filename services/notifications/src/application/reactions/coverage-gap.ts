/** A gap in the learning network or the lecture coverage: the area officers covering the place are told. */
import { coverageGapNotices, type CoverageGap } from '../../domain/reactions.js';
import type { Dispatcher } from '../ports.js';
import type { AreaOfficers, PlaceNames } from './ports.js';

export interface CoverageGapDeps {
  readonly dispatcher: Dispatcher;
  readonly officers: AreaOfficers;
  readonly places: PlaceNames;
}

export const coverageGapDetected =
  (deps: CoverageGapDeps) =>
  async (
    gap: CoverageGap,
    source: {
      readonly sourceEventId: string;
      /** The place with the gap, from the city down. */
      readonly jurisdictionPath: readonly string[];
      readonly detectedAt: Date;
      readonly sender: string;
    },
  ): Promise<void> => {
    const code = source.jurisdictionPath.at(-1);
    if (code === undefined) return;
    const officers = await deps.officers.covering(code);
    if (officers.length === 0) return;
    await deps.dispatcher.dispatch(
      coverageGapNotices(gap, {
        sourceEventId: source.sourceEventId,
        areaName: await deps.places.nameOf(code),
        officers,
        detectedAt: source.detectedAt,
        sender: source.sender,
      }),
    );
  };
