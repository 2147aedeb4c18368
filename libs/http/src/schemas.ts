/** The small schemas every service's routes share, defined once. */
import { Type } from '@sinclair/typebox';

/** A lower-case UUID, as every aggregate id is minted (crypto.randomUUID). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const UUID_REGEX = new RegExp(UUID_PATTERN);
export const isUuid = (value: string): boolean => UUID_REGEX.test(value);

export const Uuid = Type.String({ pattern: UUID_PATTERN, description: 'A lower-case UUID.' });

/** The 12-digit statistical division code (统计用区划代码) of a jurisdiction node. */
export const JURISDICTION_CODE_PATTERN = '^\\d{12}$';

const JURISDICTION_CODE_REGEX = new RegExp(JURISDICTION_CODE_PATTERN);
export const isJurisdictionCode = (value: string): boolean => JURISDICTION_CODE_REGEX.test(value);

export const JurisdictionCode = Type.String({
  pattern: JURISDICTION_CODE_PATTERN,
  description: 'The 12-digit statistical division code of a jurisdiction node.',
  examples: ['330281001001'],
});
