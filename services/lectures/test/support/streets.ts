/** A street (街道, whose venues are in the city) added to the stack's tree of townships. */
import { importBodyOf } from '@learning/registration/testing';
import { CITY } from './session-documents.js';
import type { LecturesStack } from './stack.js';

export interface Street {
  readonly code: string;
  readonly name: string;
  readonly community: { readonly code: string; readonly name: string };
}

/** Adds the street and its community to registration's tree (an import names the whole tree). */
export async function importStreet(
  stack: LecturesStack,
  admin: string,
  street: Street,
): Promise<void> {
  const response = await stack.registration.send('POST', '/v1/jurisdictions:import', admin, {
    items: [
      ...importBodyOf(stack.tree).items,
      { code: street.code, name: street.name, level: 'street', parentCode: CITY },
      {
        code: street.community.code,
        name: street.community.name,
        level: 'community',
        parentCode: street.code,
      },
    ],
  });
  if (response.status !== 200)
    throw new Error(`importing the street: HTTP ${response.status} ${await response.text()}`);
}
