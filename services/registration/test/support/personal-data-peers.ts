/**
 * The other services' PersonalDataService as real grpc-js servers (the
 * platform's own server, verifying the same issuer's tokens), each answering
 * with one record of its own per participant, and with obligations a test
 * sets. A peer may start down: it listens on its reserved port only when told.
 */
import { createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { AppError } from '@learning/errors';
import { createGrpcServer, type GrpcServer } from '@learning/grpc';
import { privacy } from '@learning/proto';
import { reservePort } from '@learning/runtime/testing';
import { captureLogger } from '@learning/testing';
import { Registry } from 'prom-client';

export const PEER_SERVICES = ['activities', 'lectures', 'scoring', 'notifications'] as const;
export type PeerService = (typeof PEER_SERVICES)[number];

export interface FakePeer {
  readonly service: PeerService;
  readonly port: number;
  /** Calls it answered, by method. */
  readonly calls: { exportPersonalData: number; checkErasure: number };
  /** What CheckErasure answers, by participant id. */
  readonly obligations: Map<string, privacy.OpenObligation[]>;
  up(): Promise<void>;
  down(): Promise<void>;
}

export async function startFakePeer(
  service: PeerService,
  issuer: LocalIssuer,
  startUp = true,
): Promise<FakePeer> {
  const port = await reservePort();
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwks: issuer.jwks,
  });
  let server: GrpcServer | undefined;
  const peer: FakePeer = {
    service,
    port,
    calls: { exportPersonalData: 0, checkErasure: 0 },
    obligations: new Map(),
    async up() {
      if (server !== undefined) return;
      server = createGrpcServer({
        logger: captureLogger(`fake-${service}`).logger,
        registry: new Registry(),
        auth: verifier,
        readiness: {},
      });
      const callerIsRegistration = (caller: string | undefined) => {
        if (caller !== 'registration')
          throw new AppError(
            'permission_denied',
            'PERSONAL_DATA_CALLER_DENIED',
            'registration only',
          );
      };
      server.addService(privacy.PersonalDataServiceService, {
        async exportPersonalData(request, call) {
          callerIsRegistration(call.principal?.service);
          peer.calls.exportPersonalData += 1;
          const records = [{ participantId: request.participantId, heldBy: service }];
          return {
            service,
            sections: [
              {
                kind: `${service}-records`,
                title: { zhCn: `${service} 记录`, en: `${service} records` },
                purpose: { zhCn: '测试用途', en: 'a test purpose' },
                retention: { zhCn: '三年', en: 'three years' },
                recordsJson: JSON.stringify(records),
                recordCount: String(records.length),
              },
            ],
          };
        },
        async checkErasure(request, call) {
          callerIsRegistration(call.principal?.service);
          peer.calls.checkErasure += 1;
          return { service, obligations: peer.obligations.get(request.participantId) ?? [] };
        },
      });
      await server.listen('127.0.0.1', port);
    },
    async down() {
      const stopping = server;
      server = undefined;
      await stopping?.stop(100);
    },
  };
  if (startUp) await peer.up();
  return peer;
}

/** The registration app's environment for these peers: their addresses and its token for them. */
export const peerEnvironment = (
  peers: readonly FakePeer[],
  token: string,
): Record<string, string> => ({
  ...Object.fromEntries(
    peers.map((peer) => [`${peer.service.toUpperCase()}_GRPC_ADDRESS`, `127.0.0.1:${peer.port}`]),
  ),
  PERSONAL_DATA_SERVICE_TOKEN: token,
});
