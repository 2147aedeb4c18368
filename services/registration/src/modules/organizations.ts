/** Departments and their responsibility table, learning organizations, and memberships. */
import { registerOrganizationDirectory } from '../adapters/grpc/organization-directory.js';
import { registerDepartmentRoutes } from '../adapters/http/departments.js';
import { registerMembershipRoutes } from '../adapters/http/memberships.js';
import { registerOrganizationRoutes } from '../adapters/http/organizations.js';
import {
  departmentTableModel,
  MongoDepartmentTableRepository,
} from '../adapters/mongo/departments.js';
import { jurisdictionModel, MongoJurisdictionRepository } from '../adapters/mongo/jurisdictions.js';
import {
  membershipModel,
  MongoMembershipRepository,
  MongoParticipantDirectory,
} from '../adapters/mongo/memberships.js';
import { MongoOrganizationListing } from '../adapters/mongo/organization-listing.js';
import { MongoOrganizationRepository, organizationModel } from '../adapters/mongo/organizations.js';
import {
  getDepartmentTable,
  listDepartments,
  replaceDepartmentTable,
} from '../application/departments/department-table.js';
import { listCurrentMembers } from '../application/memberships/directory.js';
import {
  endMembership,
  listMemberships,
  setMembership,
} from '../application/memberships/memberships.js';
import { changeOrganization } from '../application/organizations/change-organization.js';
import { decideOnOrganization } from '../application/organizations/decide-on-organization.js';
import type { JurisdictionPaths } from '../application/organizations/organization-repository.js';
import {
  getOrganization,
  searchOrganizations,
} from '../application/organizations/read-organizations.js';
import { registerOrganization } from '../application/organizations/register-organization.js';
import type { Module } from '../platform.js';

export const organizationsModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock } = platform;

  const tableModel = departmentTableModel(mongo);
  const organizationsModel = organizationModel(mongo);
  const membershipsModel = membershipModel(mongo);
  platform.publishOutboxOf(tableModel);
  platform.publishOutboxOf(organizationsModel);
  platform.publishOutboxOf(membershipsModel);

  const tables = new MongoDepartmentTableRepository(tableModel);
  const organizations = new MongoOrganizationRepository(organizationsModel, logger);
  const memberships = new MongoMembershipRepository(membershipsModel, logger);
  const participants = new MongoParticipantDirectory(mongo);
  const jurisdictionNodes = new MongoJurisdictionRepository(jurisdictionModel(mongo), logger);
  const jurisdictions: JurisdictionPaths = {
    pathOf: async (code) => (await jurisdictionNodes.findByCodes([code]))[0]?.path ?? null,
  };

  registerOrganizationDirectory(
    platform.grpc,
    organizations,
    listCurrentMembers({ organizations, memberships }),
    new MongoOrganizationListing(organizationsModel, membershipsModel),
  );
  registerDepartmentRoutes(http, {
    listDepartments: listDepartments({ tables }),
    getDepartmentTable: getDepartmentTable({ tables }),
    replaceDepartmentTable: replaceDepartmentTable({ tables, audit, clock }),
  });
  registerOrganizationRoutes(http, {
    registerOrganization: registerOrganization({
      organizations,
      jurisdictions,
      tables,
      audit,
      clock,
    }),
    searchOrganizations: searchOrganizations({ organizations }),
    getOrganization: getOrganization({ organizations }),
    changeOrganization: changeOrganization({ organizations, audit, clock }),
    decideOnOrganization: decideOnOrganization({ organizations, audit, clock }),
  });
  const membershipDeps = { organizations, memberships, participants, audit, clock };
  registerMembershipRoutes(http, {
    setMembership: setMembership(membershipDeps),
    endMembership: endMembership(membershipDeps),
    listMemberships: listMemberships(membershipDeps),
  });
};
