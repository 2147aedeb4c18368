/** Who is enrolled in a seated event: registration's audience of the event, streamed in pages. */
import type { Audience } from '@learning/registration-client';
import type { EnrolledPeople } from '../../application/reactions/ports.js';

export class RegistrationEnrolledPeople implements EnrolledPeople {
  constructor(
    private readonly audience: Audience,
    private readonly pageSize: number,
  ) {}

  async *of(eventKey: string): AsyncIterable<readonly string[]> {
    const criteria = { tiers: [], jurisdictionCodes: [], organizationKinds: [], eventKey };
    for await (const page of this.audience.stream(criteria, { pageSize: this.pageSize }))
      yield page.map((member) => member.id);
  }
}
