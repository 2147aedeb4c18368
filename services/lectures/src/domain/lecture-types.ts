/** The five lecture types of §5.2 as the portal and the console print them. */
import type { LectureType } from './catalogue.js';

export interface LectureTypeLabels {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** zh-CN first: the policy's own names. */
export const LECTURE_TYPE_LABELS: Readonly<Record<LectureType, LectureTypeLabels>> = {
  development_seminar: { 'zh-CN': '发展研讨', en: 'Development seminar' },
  theory: { 'zh-CN': '理论讲座', en: 'Theory lecture' },
  history_culture: { 'zh-CN': '历史文化', en: 'History and culture' },
  policy_situation: { 'zh-CN': '形势政策报告', en: 'Policy and situation report' },
  social_science: { 'zh-CN': '社科讲座', en: 'Social-science lecture' },
};
