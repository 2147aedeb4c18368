/**
 * The other services' PersonalDataService, one gRPC client each, and
 * registration's own declaration answering the same questions in process:
 * the sources a person's copy is gathered from and an erasure is checked with.
 */
import type { ErasingService } from '@learning/contracts';
import { createGrpcClient } from '@learning/grpc';
import type { Logger } from '@learning/logger';
import { privacy } from '@learning/proto';
import { exportSections, type ObligationCheck, type PersonalDataKind } from '@learning/privacy';
import type { PersonalDataSource } from '../../application/privacy/ports.js';

export interface PeerOptions {
  readonly addresses: Readonly<Record<Exclude<ErasingService, 'registration'>, string>>;
  readonly logger: Logger;
  readonly tokenProvider?: () => Promise<string> | string;
  /** A person's whole part of one service may take a while to read. */
  readonly deadlineMs: number;
}

export interface PersonalDataPeers {
  readonly sources: PersonalDataSource[];
  close(): void;
}

export function connectPersonalDataPeers(options: PeerOptions): PersonalDataPeers {
  const clients = Object.entries(options.addresses).map(([service, address]) => ({
    service: service as ErasingService,
    client: createGrpcClient(privacy.PersonalDataServiceClient, {
      address,
      logger: options.logger,
      deadlineMs: options.deadlineMs,
      // Both only read: safe to send again when the peer did not take the call.
      idempotentMethods: ['exportPersonalData', 'checkErasure'],
      ...(options.tokenProvider === undefined ? {} : { tokenProvider: options.tokenProvider }),
    }),
  }));
  return {
    sources: clients.map(({ service, client }) => ({
      service,
      async exportPersonalData(participantId) {
        return (await client.call.exportPersonalData({ participantId })).sections;
      },
      async checkErasure(participantId) {
        return (await client.call.checkErasure({ participantId })).obligations;
      },
    })),
    close() {
      for (const { client } of clients) client.close();
    },
  };
}

/** Registration's own part, from the kinds it declares to the kit. */
export function localPersonalDataSource(
  kinds: readonly PersonalDataKind[],
  obligations: readonly ObligationCheck[],
): PersonalDataSource {
  return {
    service: 'registration',
    exportPersonalData: (participantId) => exportSections(kinds, participantId),
    async checkErasure(participantId) {
      const found = await Promise.all(obligations.map((check) => check(participantId)));
      return found.flat();
    },
  };
}
