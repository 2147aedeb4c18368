/** The five lecture types of §5.2 as the portal and the console print them. */
import type { LectureType } from './catalogue.js';

export interface LectureTypeLabels {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** zh-CN first: the policy's own names (§5.2: 发展研讨、理论知识讲座、历史文化讲座、政策形势报告、社科知识讲座). */
export const LECTURE_TYPE_LABELS: Readonly<Record<LectureType, LectureTypeLabels>> = {
  development_seminar: { 'zh-CN': '发展研讨', en: 'Development seminar' },
  theory: { 'zh-CN': '理论知识讲座', en: 'Theory lecture' },
  history_culture: { 'zh-CN': '历史文化讲座', en: 'History and culture lecture' },
  policy_situation: { 'zh-CN': '政策形势报告', en: 'Policy and situation report' },
  social_science: { 'zh-CN': '社科知识讲座', en: 'Social-science lecture' },
};
