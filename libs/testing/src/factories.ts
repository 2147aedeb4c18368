/**
 * Factories for the data every service's tests need: a jurisdiction tree with
 * codes shaped like the statistical division codes the city uses (12 digits:
 * city, township/street, village/community) and each node's ancestor path.
 */

export type JurisdictionLevel = 'city' | 'township' | 'village';

export interface JurisdictionNode {
  code: string;
  name: string;
  level: JurisdictionLevel;
  /** Ancestor codes from the city down to this node itself. */
  path: string[];
}

export interface JurisdictionTreeOptions {
  /** Six-digit prefix of the city (province + prefecture + district). */
  cityPrefix?: string;
  townships: number;
  villagesPerTownship: number;
}

export function jurisdictionTree(options: JurisdictionTreeOptions): JurisdictionNode[] {
  const prefix = options.cityPrefix ?? '330281';
  if (!/^\d{6}$/.test(prefix)) throw new Error('cityPrefix must be six digits');
  if (options.townships > 999 || options.villagesPerTownship > 999) {
    throw new Error('a level holds at most 999 nodes in a 12-digit code');
  }
  const city: JurisdictionNode = {
    code: `${prefix}000000`,
    name: '市',
    level: 'city',
    path: [`${prefix}000000`],
  };
  const nodes = [city];
  for (let township = 1; township <= options.townships; township += 1) {
    const townshipCode = `${prefix}${String(township).padStart(3, '0')}000`;
    const townshipPath = [city.code, townshipCode];
    nodes.push({
      code: townshipCode,
      name: `第${township}街道`,
      level: 'township',
      path: townshipPath,
    });
    for (let village = 1; village <= options.villagesPerTownship; village += 1) {
      const villageCode = `${prefix}${String(township).padStart(3, '0')}${String(village).padStart(3, '0')}`;
      nodes.push({
        code: villageCode,
        name: `第${township}街道第${village}社区`,
        level: 'village',
        path: [...townshipPath, villageCode],
      });
    }
  }
  return nodes;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';

/**
 * A valid 18-character resident ID number (GB 11643 check character): region,
 * birth date `YYYYMMDD`, a 3-digit sequence. Registration reads the birth date
 * from it.
 */
export function residentIdNumber(birth: string, sequence: number, region = '330281'): string {
  const body = `${region}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(body[i]), 0);
  return `${body}${ID_CHECK_CHARACTERS[sum % 11] ?? ''}`;
}
