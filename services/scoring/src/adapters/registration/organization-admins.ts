/** An organization's admins (participant ids) from registration, for the consent an organization's case needs. */
import type { OrganizationAdmins } from '../../application/cases/ports.js';
import type { Organizations } from '../../application/ports.js';

/** An organization has a handful of admins; one page is all of them in practice, and more pages are followed. */
const PAGE_SIZE = 100;

export class RegistrationOrganizationAdmins implements OrganizationAdmins {
  constructor(private readonly organizations: Organizations) {}

  async of(organizationId: string): Promise<readonly string[]> {
    const admins: string[] = [];
    let token = '';
    do {
      const page = await this.organizations.members(
        organizationId,
        { size: PAGE_SIZE, token },
        { roles: ['admin'] },
      );
      if (page === null) return [];
      admins.push(...page.members.map((member) => member.participantId));
      token = page.nextPageToken;
    } while (token !== '');
    return admins;
  }
}
