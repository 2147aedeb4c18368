/** Nominees and experts as registration knows them: organizations and participants by id, an expert's participant record by account. */
import type { NomineeDirectory, Nominee } from '../../application/awards/ports.js';
import type { Organizations, Participants } from '../../application/ports.js';
import type { NomineeKind } from '../../domain/awards.js';

export class RegistrationNomineeDirectory implements NomineeDirectory {
  constructor(
    private readonly organizations: Organizations,
    private readonly participants: Participants,
  ) {}

  async find(kind: NomineeKind, id: string): Promise<Nominee | undefined> {
    if (kind === 'organization') {
      const organization = (await this.organizations.find([id])).get(id);
      return organization === undefined
        ? undefined
        : {
            kind,
            id,
            name: organization.name,
            organizationKind: organization.kind,
            leadDepartment: organization.leadDepartment,
            jurisdictionPath: [...organization.jurisdictionPath],
            organizationIds: [],
          };
    }
    const participant = (await this.participants.byIds([id])).get(id);
    return participant === undefined
      ? undefined
      : {
          kind,
          id,
          name: participant.name,
          organizationKind: null,
          leadDepartment: null,
          jurisdictionPath: [...participant.jurisdictionPath],
          organizationIds: [...participant.organizationIds],
        };
  }

  async participantOf(
    accountSubject: string,
  ): Promise<{ id: string; organizationIds: readonly string[] } | undefined> {
    const participant = (await this.participants.byAccounts([accountSubject])).get(accountSubject);
    return participant === undefined
      ? undefined
      : { id: participant.id, organizationIds: participant.organizationIds };
  }
}
