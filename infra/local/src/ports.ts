/** The local stack's fixed ports, so URLs stay the same between runs and services can find each other. */
export const SERVICE_PORTS: Readonly<Record<string, { http: number; grpc: number }>> = {
  registration: { http: 8101, grpc: 9101 },
  activities: { http: 8102, grpc: 9102 },
  lectures: { http: 8103, grpc: 9103 },
  scoring: { http: 8104, grpc: 9104 },
  notifications: { http: 8105, grpc: 9105 },
};

/** The one origin people use: the portal's pages, `/api/<service>/` and `/oidc/` (the gateway). */
export const PORTAL_PORT = 8100;

/** The local OpenID provider, reached directly here and by people through the gateway's `/oidc/`. */
export const OIDC_PROVIDER_PORT = 8110;
