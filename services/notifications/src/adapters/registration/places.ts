/** Place names from registration's jurisdiction directory (cached by its client). */
import type { Jurisdictions } from '@learning/registration-client';
import type { PlaceNames } from '../../application/reactions/ports.js';

export class RegistrationPlaceNames implements PlaceNames {
  constructor(private readonly jurisdictions: Jurisdictions) {}

  async nameOf(code: string, fallback: string = code): Promise<string> {
    return (await this.jurisdictions.find([code])).get(code)?.name ?? fallback;
  }
}
