/** The five lecture types, with the labels the portal and the console print. */
import { LECTURE_TYPES, type LectureType } from '../../domain/catalogue.js';
import { LECTURE_TYPE_LABELS, type LectureTypeLabels } from '../../domain/lecture-types.js';

export interface LectureTypeView {
  readonly code: LectureType;
  readonly labels: LectureTypeLabels;
}

/** In the policy's order (§5.2). */
export const lectureTypes = (): LectureTypeView[] =>
  LECTURE_TYPES.map((code) => ({ code, labels: LECTURE_TYPE_LABELS[code] }));
