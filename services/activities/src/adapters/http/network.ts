/** The learning network routes: translate HTTP to the use cases and back, deciding nothing. */
import { OFFICER_ROLES } from '@learning/auth';
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import {
  DEFAULT_PAGE_SIZE,
  JurisdictionCode,
  Name,
  PageOf,
  pageQueryFields,
  principalOf,
  Title,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { ChangePlace } from '../../application/network/change-place.js';
import type { CheckCoverageBy } from '../../application/network/check-coverage.js';
import type { CreatePairing } from '../../application/network/create-pairing.js';
import type { CreatePlace } from '../../application/network/create-place.js';
import {
  MAX_YEAR,
  MIN_YEAR,
  type Coverage,
  type GetCoverage,
} from '../../application/network/get-coverage.js';
import type {
  CategoryCounts,
  StoredDonation,
  StoredPairing,
  StoredPlace,
} from '../../application/network/ports.js';
import type { ListDonations } from '../../application/network/read-donations.js';
import type { GetPairing, ListPairings } from '../../application/network/read-pairings.js';
import type { GetPlace, ListPlaces } from '../../application/network/read-places.js';
import type { ReceiveDonation } from '../../application/network/receive-donation.js';
import type { RecordDonation } from '../../application/network/record-donation.js';
import {
  LIBRARY_STANDARD_BOOKS,
  NETWORK_PLACE_KINDS,
  NETWORK_SERVICES,
  type NetworkPlaceKind,
  type NetworkService,
} from '../../domain/library-standard.js';

export interface NetworkUseCases {
  createPlace: CreatePlace;
  listPlaces: ListPlaces;
  getPlace: GetPlace;
  changePlace: ChangePlace;
  createPairing: CreatePairing;
  listPairings: ListPairings;
  getPairing: GetPairing;
  recordDonation: RecordDonation;
  listDonations: ListDonations;
  receiveDonation: ReceiveDonation;
  getCoverage: GetCoverage;
  checkCoverage: CheckCoverageBy;
}

const TAG = 'learning network';
const NETWORK_MANAGERS = ['city_admin', 'area_officer'] as const;
const READERS = OFFICER_ROLES;

// In a route path the pattern must not be anchored: fastify anchors it itself.
const UUID_IN_PATH = UUID_PATTERN.slice(1, -1);
// Plain JSON Schema enums rather than unions, so a bad value is one error, not one per alternative.
const Kind = Type.Unsafe<NetworkPlaceKind>(
  Type.String({
    enum: [...NETWORK_PLACE_KINDS],
    description:
      'knowledge_supermarket (求知超市, township/street) or farmhouse_library (农家书屋, village/community).',
  }),
);
const Service = Type.Unsafe<NetworkService>(Type.String({ enum: [...NETWORK_SERVICES] }));
const Subject = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^$]' });
const CalendarDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A day as YYYY-MM-DD in the city calendar.',
});
const Year = Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR });

const countsBy = (minimum: number, description: string) =>
  Type.Unsafe<CategoryCounts>(
    Type.Object(
      Object.fromEntries(
        CONTENT_CATEGORIES.map((category) => [
          category,
          Type.Optional(Type.Integer({ minimum, maximum: 1_000_000 })),
        ]),
      ),
      { additionalProperties: false, description },
    ),
  );
const Holdings = countsBy(0, 'Books held per content category (§3).');
const DonatedBooks = countsBy(1, 'Books given per content category; they add up to the count.');

const Keeper = Type.Object(
  {
    participantId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^$]' }),
    subject: Type.Unsafe<string>({
      ...Subject,
      description: "The keeper's account (token subject): who signs for donations.",
    }),
  },
  { additionalProperties: false },
);
const Services = Type.Array(Service, { maxItems: NETWORK_SERVICES.length, uniqueItems: true });
const OpeningHours = Title(200, { minLength: 0, description: 'e.g. 周二至周日 09:00-17:00' });

const CreatePlaceBody = Type.Object(
  {
    kind: Kind,
    name: Name(),
    jurisdictionCode: JurisdictionCode,
    keeper: Type.Optional(Type.Union([Keeper, Type.Null()])),
    openingHours: Type.Optional(OpeningHours),
    services: Type.Optional(Services),
    holdings: Type.Optional(Holdings),
  },
  { additionalProperties: false },
);

const ChangePlaceBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read.' }),
    name: Type.Optional(Name()),
    keeper: Type.Optional(Type.Union([Keeper, Type.Null()], { description: 'null: no keeper.' })),
    openingHours: Type.Optional(OpeningHours),
    services: Type.Optional(Services),
    holdings: Type.Optional(Holdings),
  },
  { additionalProperties: false },
);

const PlaceQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const CreatePairingBody = Type.Object(
  {
    enterpriseId: Type.Unsafe<string>({
      ...Uuid,
      description: "The enterprise's id as a learning organization in registration.",
    }),
    libraryId: Uuid,
  },
  { additionalProperties: false },
);

const PairingQuery = Type.Object(
  {
    libraryId: Type.Optional(Uuid),
    jurisdictionCode: Type.Optional(JurisdictionCode),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const RecordDonationBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    byCategory: DonatedBooks,
    donatedOn: CalendarDate,
  },
  { additionalProperties: false },
);

const DonationQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Unsafe<'pending' | 'received'>(Type.String({ enum: ['pending', 'received'] })),
    ),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);

const CoverageQuery = Type.Object(
  {
    jurisdiction: JurisdictionCode,
    year: Type.Optional({
      ...Year,
      description: 'The year donations count for; default: this year.',
    }),
  },
  { additionalProperties: false },
);

const CheckBody = Type.Object(
  {
    jurisdictionCode: JurisdictionCode,
    year: Type.Optional(Year),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
const DonationParams = Type.Object({ id: Uuid, donationId: Uuid }, { additionalProperties: false });

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const HoldingsView = Type.Record(Type.String(), Type.Integer());

const Place = Type.Object({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  jurisdictionCode: Type.String(),
  jurisdictionPath: Type.Array(Type.String(), { description: 'From the city down to its node.' }),
  keeper: Nullable(Type.Object({ participantId: Type.String(), subject: Type.String() })),
  openingHours: Type.String(),
  services: Type.Array(Service),
  holdings: HoldingsView,
  totalBooks: Type.Integer(),
  meetsStandard: Type.Boolean({
    description: `Whether it holds ${LIBRARY_STANDARD_BOOKS} books or more now.`,
  }),
  standardReachedOn: Nullable(
    Type.String({ description: 'The day a library first held 200 books.' }),
  ),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});

const Pairing = Type.Object({
  id: Type.String(),
  enterpriseId: Type.String(),
  libraryId: Type.String(),
  jurisdictionPath: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: DateTime,
});

const Donation = Type.Object({
  id: Type.String(),
  pairingId: Type.String(),
  enterpriseId: Type.String(),
  count: Type.Integer(),
  byCategory: HoldingsView,
  donatedOn: Type.String(),
  status: Type.String({ enum: ['pending', 'received'] }),
  recordedBy: Type.String(),
  recordedAt: DateTime,
  receivedBy: Nullable(Type.String()),
  receivedAt: Nullable(DateTime),
});

const CoverageView = Type.Object({
  jurisdictionCode: Type.String(),
  year: Type.Integer(),
  townships: Type.Integer({ description: 'Townships and streets in the subtree.' }),
  villages: Type.Integer({ description: 'Villages and residential communities in the subtree.' }),
  supermarkets: Type.Integer(),
  libraries: Type.Integer(),
  pairedLibraries: Type.Integer({ description: 'Libraries with at least one enterprise pairing.' }),
  pairings: Type.Integer({ description: 'Pairings whose library is in the subtree.' }),
  townshipsWithoutSupermarket: Type.Array(Type.String()),
  villagesWithoutLibrary: Type.Array(Type.String()),
  librariesUnderStandard: Type.Array(
    Type.Object({
      libraryId: Type.String(),
      jurisdictionCode: Type.String(),
      totalBooks: Type.Integer(),
      paired: Type.Boolean(),
    }),
  ),
  pairingsWithoutDonation: Type.Array(Type.String(), {
    description: 'Pairings with no donation received in the year.',
  }),
});

const CheckOutcome = Type.Object({
  jurisdictionCode: Type.String(),
  year: Type.Integer(),
  gaps: Type.Integer({ description: 'Gaps found by this check.' }),
  newlyReported: Type.Integer({
    description: 'Gaps reported (NetworkGapDetected) for the first time.',
  }),
});

const counts = (holdings: CategoryCounts): Record<string, number> =>
  Object.fromEntries(
    CONTENT_CATEGORIES.flatMap((category: ContentCategory) =>
      holdings[category] === undefined ? [] : [[category, holdings[category]]],
    ),
  );

const placeResponse = (place: StoredPlace) => ({
  id: place.id,
  kind: place.kind,
  name: place.name,
  jurisdictionCode: place.jurisdictionCode,
  jurisdictionPath: [...place.jurisdictionPath],
  keeper: place.keeper === null ? null : { ...place.keeper },
  openingHours: place.openingHours,
  services: [...place.services],
  holdings: counts(place.holdings),
  totalBooks: place.totalBooks,
  meetsStandard: place.totalBooks >= LIBRARY_STANDARD_BOOKS,
  standardReachedOn: place.standardReachedOn,
  createdBy: place.createdBy,
  createdAt: place.createdAt.toISOString(),
  updatedAt: place.updatedAt.toISOString(),
  version: place.version,
});

const pairingResponse = (pairing: StoredPairing) => ({
  id: pairing.id,
  enterpriseId: pairing.enterpriseId,
  libraryId: pairing.libraryId,
  jurisdictionPath: [...pairing.jurisdictionPath],
  createdBy: pairing.createdBy,
  createdAt: pairing.createdAt.toISOString(),
});

const donationResponse = (donation: StoredDonation) => ({
  id: donation.id,
  pairingId: donation.pairingId,
  enterpriseId: donation.enterpriseId,
  count: donation.count,
  byCategory: counts(donation.byCategory),
  donatedOn: donation.donatedOn,
  status: donation.status,
  recordedBy: donation.recordedBy,
  recordedAt: donation.recordedAt.toISOString(),
  receivedBy: donation.receivedBy,
  receivedAt: donation.receivedAt === null ? null : donation.receivedAt.toISOString(),
});

const coverageResponse = ({ pairingsWithoutDonationThisYear, ...figures }: Coverage) => ({
  ...figures,
  pairingsWithoutDonation: pairingsWithoutDonationThisYear,
});

const PLACE_NOT_FOUND = '404 NETWORK_PLACE_NOT_FOUND (also when it is outside your reach)';
const PAIRING_NOT_FOUND = '404 NETWORK_PAIRING_NOT_FOUND (also when it is outside your reach)';

export function registerNetworkRoutes(http: HttpServer, useCases: NetworkUseCases): void {
  http.post(
    '/v1/network/places',
    {
      config: { roles: [...NETWORK_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Open a knowledge supermarket or a farmhouse library',
        description:
          'City admins anywhere, area officers inside their jurisdictions; needs an ' +
          'Idempotency-Key. A supermarket serves a township or street, a library a village or ' +
          'community, one per jurisdiction. Errors: 400 JURISDICTION_UNKNOWN, ' +
          'NETWORK_PLACE_LEVEL_INVALID, VALIDATION_FAILED, FORBIDDEN_KEY; 403 ROLE_REQUIRED, ' +
          'OUT_OF_SCOPE, SCOPE_EMPTY; 409 NETWORK_PLACE_ALREADY_EXISTS.',
        body: CreatePlaceBody,
        response: { 201: Place },
      },
    },
    async (request, reply) => {
      const place = await useCases.createPlace(principalOf(request), request.body);
      return reply.code(201).send(placeResponse(place));
    },
  );

  http.get(
    '/v1/network/places',
    {
      schema: {
        tags: [TAG],
        summary: 'List network places',
        description:
          'Officers, within their jurisdictions; anyone else, the places they keep. In id ' +
          'order. Errors: 400 CURSOR_INVALID, VALIDATION_FAILED.',
        querystring: PlaceQuery,
        response: { 200: PageOf(Place) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await useCases.listPlaces(principalOf(request), {
        ...query,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
      return { items: page.items.map(placeResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/network/places/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a network place',
        description: `Officers within their jurisdictions and the place's keeper. Errors: ${PLACE_NOT_FOUND}.`,
        params: IdParams,
        response: { 200: Place },
      },
    },
    async (request) =>
      placeResponse(await useCases.getPlace(principalOf(request), request.params.id)),
  );

  http.patch(
    '/v1/network/places/:id',
    {
      config: { roles: [...NETWORK_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: "Change a place's keeper, name, opening hours, services or holdings",
        description:
          'City admins and area officers over the place; needs an Idempotency-Key. New holdings ' +
          'replace the old (a stock-take); a library reaching 200 books for the first time ' +
          `publishes LibraryStandardReached. Errors: 400 NETWORK_CHANGE_EMPTY, VALIDATION_FAILED; ` +
          `403 ROLE_REQUIRED; ${PLACE_NOT_FOUND}; 409 VERSION_CONFLICT.`,
        params: IdParams,
        body: ChangePlaceBody,
        response: { 200: Place },
      },
    },
    async (request) =>
      placeResponse(
        await useCases.changePlace(principalOf(request), request.params.id, request.body),
      ),
  );

  http.post(
    '/v1/network/pairings',
    {
      config: { roles: [...NETWORK_MANAGERS], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Pair an enterprise with a farmhouse library (百村百企百书架)',
        description:
          'City admins and area officers over the library; needs an Idempotency-Key. The ' +
          'enterprise is checked with registration: a learning organization of kind enterprise, ' +
          'not rejected or suspended. Errors: 400 NETWORK_NOT_A_LIBRARY, ' +
          'NETWORK_ENTERPRISE_UNKNOWN, NETWORK_PAIRING_NOT_ENTERPRISE, VALIDATION_FAILED; 403 ' +
          `ROLE_REQUIRED; ${PLACE_NOT_FOUND}; 409 NETWORK_PAIRING_ALREADY_EXISTS, ` +
          'NETWORK_ENTERPRISE_NOT_ACTIVE.',
        body: CreatePairingBody,
        response: { 201: Pairing },
      },
    },
    async (request, reply) => {
      const pairing = await useCases.createPairing(principalOf(request), request.body);
      return reply.code(201).send(pairingResponse(pairing));
    },
  );

  http.get(
    '/v1/network/pairings',
    {
      schema: {
        tags: [TAG],
        summary: 'List pairings',
        description:
          "Officers within their jurisdictions; an enterprise's admins their enterprise's " +
          "pairings; a library's keeper its pairings (with libraryId). In id order. Errors: 400 " +
          'CURSOR_INVALID, VALIDATION_FAILED; 403 ROLE_REQUIRED.',
        querystring: PairingQuery,
        response: { 200: PageOf(Pairing) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await useCases.listPairings(principalOf(request), {
        ...query,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
      return { items: page.items.map(pairingResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/network/pairings/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Get a pairing',
        description: `Officers over it, the enterprise's admins, the library's keeper. Errors: ${PAIRING_NOT_FOUND}.`,
        params: IdParams,
        response: { 200: Pairing },
      },
    },
    async (request) =>
      pairingResponse(await useCases.getPairing(principalOf(request), request.params.id)),
  );

  http.post(
    '/v1/network/pairings/:id/donations',
    {
      config: { roles: [...NETWORK_MANAGERS, 'org_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Record books an enterprise gave its paired library',
        description:
          "The enterprise's admins, or a city admin / area officer over the library; needs an " +
          "Idempotency-Key. The donation waits for the keeper's receipt. Errors: 400 " +
          'LIBRARY_DONATION_COUNT_INVALID, LIBRARY_DONATION_CATEGORIES_MISMATCH, ' +
          'LIBRARY_DONATION_IN_FUTURE, CALENDAR_DATE_INVALID, VALIDATION_FAILED; 403 ' +
          `NETWORK_DONATION_FORBIDDEN, ROLE_REQUIRED; ${PAIRING_NOT_FOUND}.`,
        params: IdParams,
        body: RecordDonationBody,
        response: { 201: Donation },
      },
    },
    async (request, reply) => {
      const donation = await useCases.recordDonation(
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(donationResponse(donation));
    },
  );

  http.get(
    '/v1/network/pairings/:id/donations',
    {
      schema: {
        tags: [TAG],
        summary: "A pairing's donations, oldest first",
        description: `Whoever may see the pairing. Errors: 400 CURSOR_INVALID; ${PAIRING_NOT_FOUND}.`,
        params: IdParams,
        querystring: DonationQuery,
        response: { 200: PageOf(Donation) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await useCases.listDonations(principalOf(request), request.params.id, {
        ...query,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
      return { items: page.items.map(donationResponse), nextPageToken: page.nextPageToken };
    },
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read "id::receive" as the parameter's name.
  http.post(
    `/v1/network/pairings/:id/donations/:donationId(${UUID_IN_PATH})::receive`,
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Sign for a donation as the library’s keeper',
        description:
          "The library's keeper only; needs an Idempotency-Key. The holdings grow by the " +
          'donation; BookDonationRecorded is published, and LibraryStandardReached once when ' +
          'the library first holds 200 books. Errors: 403 LIBRARY_RECEIPT_NOT_KEEPER; ' +
          `${PAIRING_NOT_FOUND}, NETWORK_DONATION_NOT_FOUND; 409 LIBRARY_NO_KEEPER, ` +
          'NETWORK_DONATION_ALREADY_RECEIVED, VERSION_CONFLICT.',
        params: DonationParams,
        response: {
          200: Type.Object({ donation: Donation, library: Place }),
        },
      },
    },
    async (request) => {
      const receipt = await useCases.receiveDonation(
        principalOf(request),
        request.params.id,
        request.params.donationId,
      );
      return {
        donation: donationResponse(receipt.donation),
        library: placeResponse(receipt.library),
      };
    },
  );

  http.get(
    '/v1/network/coverage',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: [TAG],
        summary: "The network's coverage over a jurisdiction's subtree",
        description:
          'Officers, for a jurisdiction inside their reach: townships/streets without a ' +
          'knowledge supermarket, villages/communities without a library, libraries under 200 ' +
          'books (paired or not, flagged), pairings with no donation received in the year. ' +
          'Errors: 400 VALIDATION_FAILED; 403 ROLE_REQUIRED, SCOPE_EMPTY; 404 ' +
          'NETWORK_JURISDICTION_NOT_FOUND (also outside your reach).',
        querystring: CoverageQuery,
        response: { 200: CoverageView },
      },
    },
    async (request) =>
      coverageResponse(
        await useCases.getCoverage(
          principalOf(request),
          request.query.jurisdiction,
          request.query.year,
        ),
      ),
  );

  http.post(
    '/v1/network/coverage::check',
    {
      config: { roles: ['city_admin'], idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Check coverage and report new gaps',
        description:
          'City admins; needs an Idempotency-Key. Publishes NetworkGapDetected once per gap ' +
          '(kind, place or pairing, year) never reported before: a rerun publishes nothing new. ' +
          'Paired libraries only count as under the standard. Errors: 400 VALIDATION_FAILED; 403 ' +
          'ROLE_REQUIRED; 404 NETWORK_JURISDICTION_NOT_FOUND.',
        body: CheckBody,
        response: { 200: CheckOutcome },
      },
    },
    async (request) =>
      useCases.checkCoverage(
        principalOf(request),
        request.body.jurisdictionCode,
        request.body.year,
      ),
  );
}
