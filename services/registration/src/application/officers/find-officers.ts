/**
 * The officers to tell about something at a place or of a department, with
 * their contacts unsealed: for the notifications service alone.
 */
import type { Principal } from '@learning/auth';
import { isJurisdictionCode } from '@learning/http';
import type { PiiVault } from '@learning/pii';
import type { DirectoryRole, OfficerLanguage } from '../../domain/officers.js';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import { officerCriteriaInvalid, officerDirectoryForbidden } from './errors.js';
import type { OfficerRepository } from './officer-repository.js';

export const OFFICER_DIRECTORY_READER = 'notifications';
const DEPARTMENT_CODE = /^[a-z][a-z-]{0,39}$/;

export interface FindOfficersInput {
  readonly roles: readonly DirectoryRole[];
  readonly jurisdictionCode: string | null;
  readonly departmentCode: string | null;
}

export interface DirectoryOfficerContact {
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly DirectoryRole[];
  readonly jurisdictionCodes: readonly string[];
  readonly departmentCode: string | null;
  readonly language: OfficerLanguage;
  readonly phone: string | null;
  readonly email: string | null;
}

export function findOfficers(deps: {
  readonly officers: OfficerRepository;
  readonly jurisdictions: Pick<JurisdictionRepository, 'findByCodes'>;
  readonly pii: PiiVault;
}) {
  return async (
    caller: Principal,
    input: FindOfficersInput,
  ): Promise<DirectoryOfficerContact[]> => {
    if (caller.service !== OFFICER_DIRECTORY_READER) throw officerDirectoryForbidden();
    const { jurisdictionCode, departmentCode } = input;
    if (jurisdictionCode !== null && !isJurisdictionCode(jurisdictionCode))
      throw officerCriteriaInvalid('jurisdiction_code is not a 12-digit jurisdiction code.');
    if (departmentCode !== null && !DEPARTMENT_CODE.test(departmentCode))
      throw officerCriteriaInvalid('department_code is not a department code.');
    // A node registration does not know is covered only by city-wide officers (and itself).
    const nodePath =
      jurisdictionCode === null
        ? null
        : ((await deps.jurisdictions.findByCodes([jurisdictionCode]))[0]?.path ?? [
            jurisdictionCode,
          ]);
    const found = await deps.officers.find({ roles: input.roles, nodePath, departmentCode });
    return found.map((officer) => ({
      subject: officer.subject,
      name: officer.name,
      roles: officer.roles,
      jurisdictionCodes: officer.jurisdictionCodes,
      departmentCode: officer.departmentCode,
      language: officer.language,
      phone: officer.phone === null ? null : deps.pii.decrypt(officer.phone.sealed),
      email: officer.email === null ? null : deps.pii.decrypt(officer.email.sealed),
    }));
  };
}
export type FindOfficers = ReturnType<typeof findOfficers>;
