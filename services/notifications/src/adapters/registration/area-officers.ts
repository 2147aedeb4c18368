/** The area officers covering a place, with the duty contacts registration holds for them. */
import type { Officers } from '@learning/registration-client';
import type { AreaOfficers } from '../../application/reactions/ports.js';
import type { AreaOfficer } from '../../domain/reactions.js';

export class RegistrationAreaOfficers implements AreaOfficers {
  constructor(private readonly officers: Officers) {}

  async covering(jurisdictionCode: string): Promise<readonly AreaOfficer[]> {
    const found = await this.officers.find({ roles: ['area_officer'], jurisdictionCode });
    return found.map((officer) => ({
      subject: officer.subject,
      // Officers register a phone and an email for duty; WeChat is for citizens.
      contact: {
        language: officer.language,
        phone: officer.phone,
        email: officer.email,
        wechatOpenId: null,
      },
    }));
  }
}
