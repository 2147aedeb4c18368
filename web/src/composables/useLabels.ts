import { useI18n } from 'vue-i18n';

export type LabelGroup =
  | 'tier'
  | 'category'
  | 'kind'
  | 'status'
  | 'setting'
  | 'metric'
  | 'awardCategory'
  | 'owner'
  | 'enrollment';

/** A code's name in the current language; a code the portal has no name for yet shows as it is. */
export function useLabels(): { label: (group: LabelGroup, code: string) => string } {
  const composer = useI18n();
  return {
    label: (group, code) =>
      composer.te(`${group}.${code}`) ? composer.t(`${group}.${code}`) : code,
  };
}
