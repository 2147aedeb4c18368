import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';

export type Filter<Name extends string> = Readonly<Partial<Record<Name, string>>>;

/**
 * A page's filter kept in the address (?q=读书&tier=…), so a filtered list can
 * be shared in a WeChat message and the back button undoes a search.
 */
export function useQueryFilter<Name extends string>(
  names: readonly Name[],
): { filter: ComputedRef<Filter<Name>>; apply: (next: Filter<Name>) => Promise<void> } {
  const route = useRoute();
  const router = useRouter();
  const filter = computed(() => {
    const found: Partial<Record<Name, string>> = {};
    for (const name of names) {
      const value = route.query[name];
      if (typeof value === 'string' && value.trim() !== '') found[name] = value.trim();
    }
    return found;
  });
  const apply = async (next: Filter<Name>): Promise<void> => {
    const query: Record<string, string> = {};
    for (const name of names) {
      const value = next[name]?.trim();
      if (value !== undefined && value !== '') query[name] = value;
    }
    await router.push({ query });
  };
  return { filter, apply };
}
