/**
 * An officer keeps their own duty contact: name, language and optional phone
 * and e-mail; their roles, jurisdictions and department come from the token,
 * so a record cannot claim more than the account holds.
 */
import type { Principal } from '@learning/auth';
import { maskEmail, maskPhone, parseEmail, parseMobilePhone } from '@learning/domain';
import type { PiiVault } from '@learning/pii';
import { directoryRolesOf, type OfficerLanguage } from '../../domain/officers.js';
import { domainCall } from '../errors.js';
import { officerNotFound, officerRoleRequired } from './errors.js';
import type { OfficerRepository, SealedContact, StoredOfficer } from './officer-repository.js';

export interface OwnOfficerDeps {
  readonly officers: OfficerRepository;
  readonly pii: PiiVault;
  readonly clock: () => Date;
}

export interface OfficerInput {
  readonly name: string;
  readonly language: OfficerLanguage;
  readonly phone?: string;
  readonly email?: string;
}

/** What the officer (or a city admin) is shown: contacts masked. */
export interface OfficerView {
  readonly subject: string;
  readonly name: string;
  readonly language: OfficerLanguage;
  readonly roles: readonly string[];
  readonly cityWide: boolean;
  readonly jurisdictionCodes: readonly string[];
  readonly departmentCode: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly updatedAt: Date;
}

export const officerView = (officer: StoredOfficer): OfficerView => ({
  subject: officer.subject,
  name: officer.name,
  language: officer.language,
  roles: officer.roles,
  cityWide: officer.cityWide,
  jurisdictionCodes: officer.jurisdictionCodes,
  departmentCode: officer.departmentCode,
  phone: officer.phone?.masked ?? null,
  email: officer.email?.masked ?? null,
  updatedAt: officer.updatedAt,
});

function officerRolesOf(principal: Principal) {
  const roles = directoryRolesOf(principal.roles);
  if (roles.length === 0) throw officerRoleRequired();
  return roles;
}

export function putOwnOfficer(deps: OwnOfficerDeps) {
  const seal = (value: string, mask: (text: string) => string): SealedContact => ({
    sealed: deps.pii.encrypt(value),
    masked: mask(value),
  });
  return async (principal: Principal, input: OfficerInput): Promise<OfficerView> => {
    const roles = officerRolesOf(principal);
    const phone =
      input.phone === undefined ? null : domainCall(() => parseMobilePhone(input.phone ?? ''));
    const email =
      input.email === undefined ? null : domainCall(() => parseEmail(input.email ?? ''));
    const now = deps.clock();
    const stored = await deps.officers.put({
      subject: principal.subject,
      name: input.name.trim(),
      language: input.language,
      roles,
      cityWide: principal.cityWide,
      jurisdictionCodes: principal.cityWide ? [] : [...principal.jurisdictions],
      departmentCode: principal.department ?? null,
      phone: phone === null ? null : seal(phone, maskPhone),
      email: email === null ? null : seal(email, maskEmail),
      createdAt: now,
      updatedAt: now,
    });
    return officerView(stored);
  };
}

export function getOwnOfficer(deps: Pick<OwnOfficerDeps, 'officers'>) {
  return async (principal: Principal): Promise<OfficerView> => {
    officerRolesOf(principal);
    const stored = await deps.officers.get(principal.subject);
    if (stored === null) throw officerNotFound();
    return officerView(stored);
  };
}

export function removeOwnOfficer(deps: Pick<OwnOfficerDeps, 'officers'>) {
  return async (principal: Principal): Promise<void> => {
    officerRolesOf(principal);
    if (!(await deps.officers.remove(principal.subject))) throw officerNotFound();
  };
}
