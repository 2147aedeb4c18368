/**
 * The generated demo city: the hand-written core of infra/local/demo/ (the
 * places and people its other files and the journey name) grown by seeded
 * generation to a size, so the same seed and size always give the same city.
 * Pure: no I/O beyond reading the core tree; demo-city-loader.ts sends it.
 *
 * Personal data is fictitious by construction: names come from faker's zh_CN
 * locale; ID numbers carry the region code 330999 (no county has it: 3309xx
 * is Zhoushan, whose counties end at 330922) with a sequence of 900 to 999,
 * and a correct GB 11643 check character, so they pass the registry's rules
 * and belong to nobody; nobody gets a phone number or e-mail address.
 */
import { readFileSync } from 'node:fs';
import { Faker, base, zh_CN } from '@faker-js/faker';
import { ORGANIZATION_KINDS, TIERS, type OrganizationKind, type Tier } from '@learning/domain';

export const DEMO_CITY_SIZES = ['small', 'city', 'large'] as const;
export type DemoCitySize = (typeof DEMO_CITY_SIZES)[number];
/** The seed the stack uses unless told otherwise. */
export const DEFAULT_DEMO_SEED = 20_260_401;

interface SizeSpec {
  /** Townships and streets, the core's among them. */
  readonly townships: number;
  /** Villages or communities under each generated township or street. */
  readonly villagesPerTownship: number;
  readonly participants: number;
  readonly organizations: number;
  /** Members an organization gets, at most (families fewer). */
  readonly maxMembers: number;
  /** Residents who sign up for their township's recent activity, at most. */
  readonly historySignUps: number;
}

/** small: what up.sh loads by default, in seconds; city: the sizes; large: for load work. */
export const SIZE_SPECS: Readonly<Record<DemoCitySize, SizeSpec>> = {
  small: {
    townships: 6,
    villagesPerTownship: 4,
    participants: 300,
    organizations: 40,
    maxMembers: 6,
    historySignUps: 8,
  },
  city: {
    townships: 20,
    villagesPerTownship: 18,
    participants: 30_000,
    organizations: 3_000,
    maxMembers: 12,
    historySignUps: 40,
  },
  large: {
    townships: 40,
    villagesPerTownship: 30,
    participants: 120_000,
    organizations: 10_000,
    maxMembers: 20,
    historySignUps: 100,
  },
};

export const CITY_CODE = '330999000000';
/** The ID numbers' region: fictitious (see the file's comment). */
export const ID_REGION = '330999';

export type JurisdictionLevel = 'city' | 'street' | 'township' | 'community' | 'village';
export interface DemoJurisdiction {
  readonly code: string;
  readonly name: string;
  readonly level: JurisdictionLevel;
  readonly parentCode: string | null;
}

/** A POST /v1/participants:register-for body. */
export interface DemoParticipant {
  readonly name: string;
  readonly tier: Tier;
  readonly homeJurisdiction: string;
  readonly idNumber: string;
  readonly language: 'zh-CN';
  readonly consent: { readonly notifications: boolean };
  readonly employer: string | null;
}

export type DemoOrganizationKind = OrganizationKind;
export interface DemoCityOrganization {
  /** The POST /v1/organizations body. */
  readonly body: {
    readonly kind: DemoOrganizationKind;
    readonly name: string;
    readonly jurisdictionCode: string;
    readonly learningSystem: {
      readonly studyRules: string;
      readonly trainingPlan: string;
      readonly trainingHoursPerYear: number;
    };
  };
  /** The review decisions sent after it registers, in order. */
  readonly decisions: readonly ('start_review' | 'recognize')[];
  /** Positions in the city's participants; the first is its admin. */
  readonly members: readonly number[];
}

/** A POST /v1/network/places body: a knowledge supermarket or farmhouse library. */
export interface DemoCityPlace {
  readonly kind: 'knowledge_supermarket' | 'farmhouse_library';
  readonly name: string;
  readonly jurisdictionCode: string;
  readonly openingHours: string;
  readonly services: readonly string[];
  readonly holdings: Readonly<Record<string, number>>;
}

/**
 * A POST /v1/activities body of the October festival, without its schedule
 * and campaign, which the loader sets for the coming October.
 */
export interface DemoFestivalActivity {
  readonly title: string;
  readonly description: string;
  readonly kind: 'reading_club' | 'book_fair' | 'book_relay' | 'reading_reasoning';
  readonly jurisdictionCode: string;
  readonly venue: { readonly name: string };
  readonly organizer: { readonly kind: 'department'; readonly department: string };
  readonly capacity: number | 'unlimited';
  readonly targetTiers: readonly DemoParticipant['tier'][];
  readonly categories: readonly string[];
  /** Which day of October it is on (1 to 31), 14:00 China time. */
  readonly octoberDay: number;
  readonly hours: number;
}

/**
 * History: a short activity of the day the city is loaded, which some of its
 * township's residents sign up for and most attend. Activities refuses a
 * schedule that starts in the past and registration records attendance only
 * after the end, so the loader dates it minutes from the load and waits for
 * its end; a POST /v1/activities body without its schedule and sign-up window.
 */
export interface DemoRecentActivity extends Omit<DemoFestivalActivity, 'octoberDay' | 'hours'> {
  /** Positions in the city's participants who sign up, each with their own account. */
  readonly signUps: readonly number[];
  /** Of those, whom an officer confirms as present afterwards; the others did not come. */
  readonly attended: readonly number[];
}

/** The account a generated person signs in with: the same seed and position, the same account. */
export const accountSubjectOf = (seed: number, position: number): string =>
  `demo-city-${String(seed)}-${String(position)}`;

/** 金秋读书节: a POST /v1/campaigns body without its year, dated by the loader. */
export const FESTIVAL_CAMPAIGN = {
  title: '金秋读书节',
  description: '示范市每年十月的金秋读书节：读书会、便民书市、书香传递走进每个乡镇街道',
  ownerDepartment: 'wenhua-guangdian-ju',
  rule: { kind: 'fixed_window', startMonth: 10, startDay: 1, endMonth: 10, endDay: 31 },
  targetTiers: ['ordinary_citizen', 'ordinary_cadre', 'private_enterprise_staff', 'pupil'],
  categories: ['science_culture_skills', 'ethics_etiquette'],
  jurisdictionCode: CITY_CODE,
  goals: [{ metric: 'activities_per_township', target: 1 }],
} as const;

export interface DemoCity {
  readonly seed: number;
  readonly size: DemoCitySize;
  /** The whole tree, the core's nodes first: what POST /v1/jurisdictions:import takes. */
  readonly jurisdictions: readonly DemoJurisdiction[];
  readonly participants: readonly DemoParticipant[];
  readonly organizations: readonly DemoCityOrganization[];
  /** One supermarket per generated township or street, one library per generated village or community. */
  readonly places: readonly DemoCityPlace[];
  /** 百村百企百书架: an enterprise (position in organizations) paired with a library (position in places). */
  readonly pairings: readonly { readonly enterprise: number; readonly library: number }[];
  /** The October festival's activities: one in every township and street. */
  readonly festivalActivities: readonly DemoFestivalActivity[];
  /** History: one recent activity in every township and street some of whose people live there. */
  readonly recentActivities: readonly DemoRecentActivity[];
}

/** Roughly a city's mix: few leading cadres, citizens and enterprise staff the most. */
const TIER_WEIGHTS: Readonly<Record<DemoParticipant['tier'], number>> = {
  leading_cadre: 2,
  ordinary_cadre: 10,
  private_enterprise_staff: 33,
  ordinary_citizen: 45,
  pupil: 10,
};
const KIND_WEIGHTS: Readonly<Record<DemoOrganizationKind, number>> = {
  agency: 6,
  public_institution: 6,
  enterprise: 30,
  community: 12,
  village_town: 12,
  family: 34,
};
/** The share of pairings of 百村百企百书架: a hundred at city size. */
const PROGRAMME_PAIRINGS = 100;
/** The programme's standard: a paired library holds at least this many books. */
const LIBRARY_STANDARD_BOOKS = 200;

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/** GB 11643-1999's check character (ISO 7064 MOD 11-2) of an ID number's first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('an ID number starts with 17 digits');
  const sum = GB11643_WEIGHTS.reduce(
    (total, weight, i) => total + weight * Number(first17.charAt(i)),
    0,
  );
  return GB11643_CHECK.charAt(sum % 11);
}

const coreTree = (): DemoJurisdiction[] =>
  (
    JSON.parse(readFileSync(new URL('../demo/jurisdictions.json', import.meta.url), 'utf8')) as {
      items: DemoJurisdiction[];
    }
  ).items;

const pad3 = (n: number): string => String(n).padStart(3, '0');

export function generateDemoCity({
  seed = DEFAULT_DEMO_SEED,
  size = 'small',
}: { seed?: number; size?: DemoCitySize } = {}): DemoCity {
  const spec = SIZE_SPECS[size];
  const faker = new Faker({ locale: [zh_CN, base], seed });
  const usedNames = new Set<string>();
  /** A two-character place name not yet used, generated from given names. */
  const placeName = (suffix: string): string => {
    for (;;) {
      const root = `${faker.person.firstName()}${faker.person.firstName()}`.slice(0, 2);
      const name = `${root}${suffix}`;
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };

  const jurisdictions = [...coreTree()];
  for (const { name } of jurisdictions) usedNames.add(name);
  const coreTownships = jurisdictions.filter(
    (node) => node.level === 'street' || node.level === 'township',
  );
  let streets = coreTownships.filter((node) => node.level === 'street').length;
  let townships = coreTownships.length - streets;
  const generatedTownships: DemoJurisdiction[] = [];
  const generatedVillages: DemoJurisdiction[] = [];
  for (let n = coreTownships.length; n < spec.townships; n += 1) {
    // Streets are the urban third, townships the countryside.
    const urban = n % 3 === 0;
    const township: DemoJurisdiction = urban
      ? {
          code: `${ID_REGION}${pad3((streets += 1))}000`,
          name: placeName('街道'),
          level: 'street',
          parentCode: CITY_CODE,
        }
      : {
          code: `${ID_REGION}${pad3(100 + (townships += 1))}000`,
          name: placeName('镇'),
          level: 'township',
          parentCode: CITY_CODE,
        };
    generatedTownships.push(township);
    for (let v = 1; v <= spec.villagesPerTownship; v += 1) {
      generatedVillages.push({
        code: `${township.code.slice(0, 9)}${urban ? pad3(v) : pad3(200 + v)}`,
        name: placeName(urban ? '社区' : '村'),
        level: urban ? 'community' : 'village',
        parentCode: township.code,
      });
    }
  }
  jurisdictions.push(...generatedTownships, ...generatedVillages);
  const allTownships = [...coreTownships, ...generatedTownships];
  const homes = jurisdictions.filter(
    (node) => node.level === 'community' || node.level === 'village',
  );
  const villages = homes.filter((node) => node.level === 'village');
  const communities = homes.filter((node) => node.level === 'community');

  const usedIds = new Set<string>();
  const idNumber = (tier: DemoParticipant['tier']): string => {
    // Pupils are 7 to 15 years old in 2026, everyone else 18 to 85.
    const [from, to] = tier === 'pupil' ? [2011, 2019] : [1941, 2008];
    for (;;) {
      const year = faker.number.int({ min: from, max: to });
      const month = faker.number.int({ min: 1, max: 12 });
      const day = faker.number.int({
        min: 1,
        max: new Date(Date.UTC(year, month, 0)).getUTCDate(),
      });
      const first17 = `${ID_REGION}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}9${String(faker.number.int({ min: 0, max: 99 })).padStart(2, '0')}`;
      const id = `${first17}${idNumberCheckCharacter(first17)}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const tiers = TIERS.map((value) => ({ value, weight: TIER_WEIGHTS[value] }));
  const participants: DemoParticipant[] = Array.from({ length: spec.participants }, (_, i) => {
    // The first five take each tier in turn, so even the smallest city has every tier.
    const tier = TIERS[i] ?? faker.helpers.weightedArrayElement(tiers);
    const home = faker.helpers.arrayElement(homes);
    return {
      name: `${faker.person.lastName()}${faker.person.firstName()}`,
      tier,
      homeJurisdiction: home.code,
      idNumber: idNumber(tier),
      language: 'zh-CN',
      consent: { notifications: faker.datatype.boolean(0.8) },
      employer:
        tier === 'private_enterprise_staff'
          ? faker.company.name()
          : tier === 'leading_cadre' || tier === 'ordinary_cadre'
            ? `示范市${faker.helpers.arrayElement(['教育局', '民政局', '文化广电新闻出版局', '卫生局', '司法局', '农办'])}`
            : null,
    };
  });
  const byHome = new Map<string, number[]>();
  participants.forEach((person, position) => {
    const list = byHome.get(person.homeJurisdiction) ?? [];
    list.push(position);
    byHome.set(person.homeJurisdiction, list);
  });

  const distinctPositions = (count: number): number[] => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, participants.length))
      chosen.add(faker.number.int({ max: participants.length - 1 }));
    return [...chosen];
  };
  const kinds = ORGANIZATION_KINDS.map((value) => ({ value, weight: KIND_WEIGHTS[value] }));
  const organizations: DemoCityOrganization[] = Array.from(
    { length: spec.organizations },
    (_, i) => {
      const kind = ORGANIZATION_KINDS[i] ?? faker.helpers.weightedArrayElement(kinds);
      const township = faker.helpers.arrayElement(allTownships);
      const village = faker.helpers.arrayElement(villages);
      const community = faker.helpers.arrayElement(communities);
      const home = faker.helpers.arrayElement(homes);
      const founder = participants[faker.number.int({ max: participants.length - 1 })];
      const place: Record<DemoOrganizationKind, { name: string; code: string }> = {
        agency: {
          name: `${township.name}${faker.helpers.arrayElement(['办事处', '党政办', '文化站'])}`,
          code: township.code,
        },
        public_institution: {
          name: `${township.name}${faker.helpers.arrayElement(['中心小学', '卫生院', '成人文化技术学校', '图书馆分馆'])}`,
          code: township.code,
        },
        enterprise: { name: faker.company.name(), code: township.code },
        community: { name: `${community.name}学习型社区`, code: community.code },
        village_town: { name: `${village.name}学习型村`, code: village.code },
        family: { name: `${founder?.name ?? home.name}家庭`, code: home.code },
      };
      const { name, code } = place[kind];
      const nearby = byHome.get(code) ?? [];
      const memberCount = faker.number.int({
        min: 1,
        max: kind === 'family' ? Math.min(5, spec.maxMembers) : spec.maxMembers,
      });
      // Members live where it is when enough do; agencies and enterprises draw from the city.
      const members =
        nearby.length >= memberCount
          ? faker.helpers.arrayElements(nearby, memberCount)
          : distinctPositions(memberCount);
      const decisionRoll = faker.number.float();
      const uniqueName = usedNames.has(name) ? `${name}（${String(i)}）` : name;
      usedNames.add(uniqueName);
      return {
        body: {
          kind,
          name: uniqueName,
          jurisdictionCode: code,
          learningSystem: {
            studyRules: faker.helpers.arrayElement([
              '每周三下午集中学习两小时',
              '每月一次读书会',
              '每季度一次专题讲座',
              '每日晨读二十分钟',
            ]),
            trainingPlan: faker.helpers.arrayElement([
              '年度理论、业务、法律三个专题培训',
              '职工技能提升培训',
              '农民实用技术培训',
              '家庭亲子共读计划',
            ]),
            trainingHoursPerYear: faker.number.int({ min: 12, max: 72 }),
          },
        },
        decisions:
          decisionRoll < 0.3
            ? ['start_review', 'recognize']
            : decisionRoll < 0.5
              ? ['start_review']
              : [],
        members,
      };
    },
  );

  const hours = ['周二至周日 09:00-17:00', '周一至周五 14:00-20:00', '每日 08:30-21:00'];
  const places: DemoCityPlace[] = [
    ...generatedTownships.map((township): DemoCityPlace => ({
      kind: 'knowledge_supermarket',
      name: `${township.name}知识超市`,
      jurisdictionCode: township.code,
      openingHours: faker.helpers.arrayElement(hours),
      services: ['lending', 'skills_training', 'reading_guidance', 'information_exchange'],
      holdings: {
        science_culture_skills: faker.number.int({ min: 150, max: 600 }),
        market_economy_law: faker.number.int({ min: 30, max: 200 }),
        ethics_etiquette: faker.number.int({ min: 20, max: 120 }),
      },
    })),
    ...generatedVillages.map((village): DemoCityPlace => ({
      kind: 'farmhouse_library',
      name: `${village.name}农家书屋`,
      jurisdictionCode: village.code,
      openingHours: faker.helpers.arrayElement(hours),
      services: ['lending', 'information_exchange'],
      // Some libraries are still short of the standard: the programme has something to do.
      holdings: {
        science_culture_skills: faker.number.int({ min: 40, max: LIBRARY_STANDARD_BOOKS }),
        political_theory: faker.number.int({ min: 10, max: 60 }),
      },
    })),
  ];
  const enterprises = organizations.flatMap((organization, position) =>
    organization.body.kind === 'enterprise' ? [position] : [],
  );
  const libraries = places.flatMap((place, position) =>
    place.kind === 'farmhouse_library' ? [position] : [],
  );
  const pairings = Array.from(
    { length: Math.min(PROGRAMME_PAIRINGS, enterprises.length, libraries.length) },
    (_, i) => ({ enterprise: enterprises[i] ?? 0, library: libraries[i] ?? 0 }),
  );

  const festivalKinds = [
    { kind: 'reading_club', title: '金秋读书会', description: '共读一本好书，分享读书心得' },
    { kind: 'book_fair', title: '便民书市', description: '新书、好书平价进社区' },
    { kind: 'book_relay', title: '书香传递', description: '带一本旧书，换一本好书' },
    { kind: 'reading_reasoning', title: '读书明理', description: '读经典，明事理，谈家风' },
  ] as const;
  const festivalActivities = allTownships.map((township): DemoFestivalActivity => {
    const { kind, title, description } = faker.helpers.arrayElement(festivalKinds);
    return {
      title: `${township.name}${title}`,
      description,
      kind,
      jurisdictionCode: township.code,
      venue: {
        name: `${township.name}${faker.helpers.arrayElement(['文化礼堂', '文化广场', '图书馆分馆'])}`,
      },
      organizer: { kind: 'department', department: FESTIVAL_CAMPAIGN.ownerDepartment },
      capacity: kind === 'book_fair' ? 'unlimited' : faker.number.int({ min: 20, max: 120 }),
      targetTiers:
        kind === 'reading_reasoning'
          ? ['ordinary_cadre', 'ordinary_citizen']
          : ['ordinary_citizen', 'pupil'],
      categories: kind === 'reading_reasoning' ? ['ethics_etiquette'] : ['science_culture_skills'],
      octoberDay: faker.number.int({ min: 1, max: 30 }),
      hours: faker.number.int({ min: 2, max: 4 }),
    };
  });

  // Generated last, so the rest of the city stays what the same seed always gave.
  const townshipOf = new Map(jurisdictions.map((node) => [node.code, node.parentCode]));
  const residentsByTownship = new Map<string, number[]>();
  participants.forEach((person, position) => {
    const township = townshipOf.get(person.homeJurisdiction);
    if (township === undefined || township === null) return;
    const list = residentsByTownship.get(township) ?? [];
    list.push(position);
    residentsByTownship.set(township, list);
  });
  const recentActivities = allTownships.flatMap((township): DemoRecentActivity[] => {
    const residents = residentsByTownship.get(township.code) ?? [];
    if (residents.length === 0) return [];
    const signUps = faker.helpers.arrayElements(
      residents,
      Math.min(spec.historySignUps, residents.length),
    );
    return [
      {
        title: `${township.name}读书分享会`,
        description: '邻里共读，分享一本好书',
        kind: 'reading_club',
        jurisdictionCode: township.code,
        venue: { name: `${township.name}文化礼堂` },
        organizer: { kind: 'department', department: FESTIVAL_CAMPAIGN.ownerDepartment },
        capacity: signUps.length,
        targetTiers: [...TIERS],
        categories: ['science_culture_skills'],
        signUps,
        // Most who signed up came.
        attended: signUps.filter(() => faker.datatype.boolean(0.85)),
      },
    ];
  });

  return {
    seed,
    size,
    jurisdictions,
    participants,
    organizations,
    places,
    pairings,
    festivalActivities,
    recentActivities,
  };
}
