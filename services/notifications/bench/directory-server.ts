/**
 * Registration's ParticipantDirectoryService as the fan-out benchmark needs
 * it, on 127.0.0.1, in its own process (so its CPU is not the service's):
 * `--recipients` generated members in ascending id order, streamed after an
 * id in pages; CountAudience; GetContacts. Prints its port on stdout.
 */
import * as grpc from '@grpc/grpc-js';
import { common, registration } from '@learning/proto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { recipients: { type: 'string', default: '1000000' } } });
const recipients = Number(values.recipients);
const CITY = '330281';

/** Zero-padded so the ids sort as their numbers. */
const idOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const numberOf = (id: string): number => Number(id.slice(-12));

const member = (n: number): registration.AudienceMember => ({
  id: idOf(n),
  tier: common.Tier.TIER_ORDINARY_CITIZEN,
  jurisdictionPath: [CITY, `${CITY}${String(1 + (n % 3)).padStart(3, '0')}`],
  language: n % 10 === 0 ? 'en' : 'zh-CN',
  notificationsConsent: true,
});

const server = new grpc.Server();
server.addService(registration.ParticipantDirectoryServiceService, {
  resolveAudience(
    call: grpc.ServerWritableStream<
      registration.ResolveAudienceRequest,
      registration.ResolveAudienceResponse
    >,
  ) {
    const size = call.request.pageSize === 0 ? 1_000 : Math.min(call.request.pageSize, 1_000);
    let next = call.request.afterId === '' ? 1 : numberOf(call.request.afterId) + 1;
    const writeMore = () => {
      while (next <= recipients) {
        const last = Math.min(recipients, next + size - 1);
        const participants: registration.AudienceMember[] = [];
        for (let n = next; n <= last; n += 1) participants.push(member(n));
        next = last + 1;
        if (!call.write({ participants })) {
          call.once('drain', writeMore);
          return;
        }
      }
      call.end();
    };
    writeMore();
  },
  countAudience(
    _call: grpc.ServerUnaryCall<
      registration.CountAudienceRequest,
      registration.CountAudienceResponse
    >,
    callback: grpc.sendUnaryData<registration.CountAudienceResponse>,
  ) {
    callback(null, { count: String(recipients) });
  },
  getContacts(
    call: grpc.ServerUnaryCall<registration.GetContactsRequest, registration.GetContactsResponse>,
    callback: grpc.sendUnaryData<registration.GetContactsResponse>,
  ) {
    callback(null, {
      contacts: call.request.ids.map((id) => ({
        participantId: id,
        phone: `139${id.slice(-8)}`,
        language: 'zh-CN',
        email: '',
        wechatOpenId: '',
      })),
    });
  },
  getParticipants(
    _call: grpc.ServerUnaryCall<
      registration.GetParticipantsRequest,
      registration.GetParticipantsResponse
    >,
    callback: grpc.sendUnaryData<registration.GetParticipantsResponse>,
  ) {
    callback(null, { participants: [] });
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error !== null) throw error;
  console.log(`PORT ${String(port)}`);
});
