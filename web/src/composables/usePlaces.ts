import { shallowRef, type Ref } from 'vue';
import { placesBelow, type Place } from '../api/registration.js';

/** The city the portal serves; the demo city unless the build says otherwise (web/README.md). */
export const CITY_JURISDICTION: string =
  (import.meta.env['VITE_CITY_JURISDICTION'] as string | undefined) ?? '330999000000';

let loaded: Promise<Place[]> | undefined;

/**
 * The city's townships and streets by name, for the place filter: loaded once
 * per visit. Without them (registration down) the filter still works on the
 * place in the address.
 */
export function usePlaces(): Ref<readonly Place[]> {
  const places = shallowRef<readonly Place[]>([]);
  loaded ??= Promise.all([
    placesBelow(CITY_JURISDICTION, 'township'),
    placesBelow(CITY_JURISDICTION, 'street'),
  ]).then(
    ([townships, streets]) =>
      [...townships, ...streets].sort((a, b) => a.code.localeCompare(b.code)),
    () => {
      loaded = undefined;
      return [];
    },
  );
  void loaded.then((found) => {
    places.value = found;
  });
  return places;
}
