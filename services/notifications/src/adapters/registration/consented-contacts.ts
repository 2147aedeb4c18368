/**
 * Registration's contacts less the channels a person withdrew consent from
 * since: registration answers from its own record, and the withdrawal has
 * already reached this service's `channel_consents`, so it holds from the
 * event on, whatever registration's answer is at that moment.
 */
import type { Contact, Contacts } from '@learning/registration-client';
import type { ConsentStore } from '../../application/consents/ports.js';
import type { ExternalChannel } from '../../domain/broadcasts.js';

const ADDRESS_FIELD = {
  sms: 'phone',
  email: 'email',
  wechat: 'wechatOpenId',
} as const satisfies Record<ExternalChannel, keyof Contact>;

export class ConsentedContacts implements Contacts {
  constructor(
    private readonly registration: Contacts,
    private readonly consents: Pick<ConsentStore, 'withdrawnAmong'>,
  ) {}

  async byIds(ids: readonly string[]): Promise<ReadonlyMap<string, Contact>> {
    const [contacts, withdrawn] = await Promise.all([
      this.registration.byIds(ids),
      this.consents.withdrawnAmong(ids),
    ]);
    if (withdrawn.size === 0) return contacts;
    const consented = new Map<string, Contact>();
    for (const [id, contact] of contacts) {
      const channels = withdrawn.get(id);
      if (channels === undefined) {
        consented.set(id, contact);
        continue;
      }
      const left: Contact = {
        ...contact,
        ...Object.fromEntries([...channels].map((channel) => [ADDRESS_FIELD[channel], null])),
      };
      // As registration does: only people with at least one consented address are answered.
      if (left.phone !== null || left.email !== null || left.wechatOpenId !== null)
        consented.set(id, left);
    }
    return consented;
  }
}
