import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  jurisdictionErrors,
  jurisdictionImportConflict,
  jurisdictionNotFound,
  jurisdictionQueryInvalid,
  jurisdictionUnknown,
} from '../../src/application/errors.js';
import {
  buildJurisdictionTree,
  pathOf,
  type JurisdictionNode,
} from '../../src/domain/jurisdictions.js';
import { appRefusalOf } from './error-code-checks.js';

const city: JurisdictionNode = { code: 'C', name: '玉海市', level: 'city', parentCode: null };
const orphan: JurisdictionNode = { code: 'V1', name: '东村', level: 'village', parentCode: 'T9' };

const thrown = [
  jurisdictionNotFound(),
  jurisdictionImportConflict(),
  jurisdictionQueryInvalid('Ask for at most 1000 codes at a time.', {
    field: '/codes',
    message: 'more than 1000 codes',
  }),
];
const refusedByDomain = () => [
  appRefusalOf(() => buildJurisdictionTree([city, orphan])),
  appRefusalOf(() => pathOf(buildJurisdictionTree([city]), 'V1')),
];

describe('the jurisdiction error codes', () => {
  it('when the README is read, then its jurisdiction error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(jurisdictionErrors.tableProblems(readme, 'jurisdiction-errors')).toEqual([]);
  });

  it('when the slice or its domain rules refuse, then each error has the status its catalogue entry gives', () => {
    expect(jurisdictionErrors.problemsOf([...thrown, ...refusedByDomain()])).toEqual([]);
  });

  it('when the slice and its domain rules refuse, then every code of the catalogue is one of them', () => {
    const codes = new Set([...thrown, ...refusedByDomain()].map((error) => error.code));

    expect(jurisdictionErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when a request names a jurisdiction not in the tree, then it is the platform’s JURISDICTION_UNKNOWN', () => {
    expect(platformErrors.problemsOf([jurisdictionUnknown('/homeJurisdiction')])).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => jurisdictionErrors.with(platformErrors)).not.toThrow();
  });
});
