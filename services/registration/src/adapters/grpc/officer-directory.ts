/** OfficerDirectoryService: translates FindOfficers to the use case, deciding nothing. */
import { AppError } from '@learning/errors';
import type { GrpcServer } from '@learning/grpc';
import { registration } from '@learning/proto';
import type { FindOfficers } from '../../application/officers/find-officers.js';
import { officerCriteriaInvalid } from '../../application/officers/errors.js';
import type { DirectoryRole } from '../../domain/officers.js';

const ROLES: Partial<Record<registration.OfficerRole, DirectoryRole>> = {
  [registration.OfficerRole.OFFICER_ROLE_CITY_ADMIN]: 'city_admin',
  [registration.OfficerRole.OFFICER_ROLE_DEPARTMENT_OFFICER]: 'department_officer',
  [registration.OfficerRole.OFFICER_ROLE_AREA_OFFICER]: 'area_officer',
};
const TO_PROTO: Record<DirectoryRole, registration.OfficerRole> = {
  city_admin: registration.OfficerRole.OFFICER_ROLE_CITY_ADMIN,
  department_officer: registration.OfficerRole.OFFICER_ROLE_DEPARTMENT_OFFICER,
  area_officer: registration.OfficerRole.OFFICER_ROLE_AREA_OFFICER,
};

export function registerOfficerDirectory(grpc: GrpcServer, find: FindOfficers): void {
  grpc.addService(registration.OfficerDirectoryServiceService, {
    async findOfficers(request, call) {
      if (call.principal === undefined)
        throw new AppError('unauthenticated', 'TOKEN_MISSING', 'A service token is required.');
      const roles = request.roles.map((role) => {
        const mapped = ROLES[role];
        if (mapped === undefined) throw officerCriteriaInvalid('roles holds an unknown role.');
        return mapped;
      });
      const officers = await find(call.principal, {
        roles,
        jurisdictionCode: request.jurisdictionCode === '' ? null : request.jurisdictionCode,
        departmentCode: request.departmentCode === '' ? null : request.departmentCode,
      });
      return {
        officers: officers.map((officer) => ({
          subject: officer.subject,
          name: officer.name,
          roles: officer.roles.map((role) => TO_PROTO[role]),
          jurisdictionCodes: [...officer.jurisdictionCodes],
          departmentCode: officer.departmentCode ?? '',
          language: officer.language,
          phone: officer.phone ?? '',
          email: officer.email ?? '',
        })),
      };
    },
  });
}
