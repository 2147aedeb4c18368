/** An organization's name and admins, from registration's organization directory. */
import type { Organizations } from '@learning/registration-client';
import type { OrganizationAdmins } from '../../application/reactions/ports.js';

/** Admins per page asked; an organization has a handful. */
const PAGE_SIZE = 100;

export class RegistrationOrganizationAdmins implements OrganizationAdmins {
  constructor(private readonly organizations: Organizations) {}

  async of(
    organizationId: string,
  ): Promise<{ readonly name: string; readonly adminIds: readonly string[] } | null> {
    const organization = (await this.organizations.find([organizationId])).get(organizationId);
    if (organization === undefined) return null;
    const adminIds: string[] = [];
    let token = '';
    do {
      const page = await this.organizations.members(
        organizationId,
        { size: PAGE_SIZE, token },
        { roles: ['admin'] },
      );
      if (page === null) return null;
      adminIds.push(...page.members.map((member) => member.participantId));
      token = page.nextPageToken;
    } while (token !== '');
    return { name: organization.name, adminIds };
  }
}
