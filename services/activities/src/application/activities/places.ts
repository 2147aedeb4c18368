/** Where an activity or a venue is: a node registration knows, or a 400 naming the field. */
import { JURISDICTION_UNKNOWN } from '@learning/errors';
import type { Jurisdiction, Jurisdictions } from '../ports.js';
import { invalidAt } from '../errors.js';

export async function knownPlace(
  jurisdictions: Jurisdictions,
  code: string,
): Promise<Jurisdiction> {
  const place = (await jurisdictions.find([code])).get(code);
  if (place === undefined)
    throw invalidAt(
      JURISDICTION_UNKNOWN,
      'There is no jurisdiction with that code.',
      '/jurisdictionCode',
    );
  return place;
}
