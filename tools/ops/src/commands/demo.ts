/**
 * `learning demo seed`: the generated demo city (infra/local/src/demo-city.ts)
 * sent to a running stack through its public APIs, with a progress bar; or,
 * with --dry-run, only what it would send.
 */
import { Option, type Command } from 'commander';
import {
  DEFAULT_DEMO_SEED,
  DEMO_CITY_SIZES,
  generateDemoCity,
  loadDemoCity,
  requestsFor,
  SERVICE_PORTS,
  type DemoCitySize,
} from '@learning/local-infra';
import { CliError, type Io } from '../io.js';

interface SeedOptions {
  size: DemoCitySize;
  seed: string;
  registrationUrl: string;
  activitiesUrl?: string;
  network: boolean;
  history: boolean;
  concurrency: string;
  dryRun: boolean;
}

const localUrl = (service: string): string =>
  `http://127.0.0.1:${SERVICE_PORTS[service]?.http ?? 0}`;

const wholeNumber = (name: string, value: string): number => {
  if (!/^\d+$/.test(value)) throw new CliError(`${name} takes a whole number, got "${value}"`, 2);
  return Number(value);
};

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('the generated demo city')
    .command('seed')
    .description(
      'generate the demo city from a seed and load it through the public APIs (into a fresh stack: the same seed twice is refused as the same people again)',
    )
    .addOption(
      new Option('--size <size>', 'small (seconds), city (the issue sizes) or large (load work)')
        .choices(DEMO_CITY_SIZES)
        .default('small'),
    )
    .option('--seed <n>', 'the same seed gives the same city', String(DEFAULT_DEMO_SEED))
    .option('--registration-url <url>', 'where registration answers', localUrl('registration'))
    .option('--activities-url <url>', 'where activities answers', localUrl('activities'))
    .option('--no-network', 'leave out the supermarkets, libraries and pairings (activities)')
    .option(
      '--no-history',
      "leave out today's sign-ups and attendance (they wait a minute for the activities to end)",
    )
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .option('--dry-run', 'print what would be loaded, send nothing', false)
    .action(async (options: SeedOptions) => {
      const seed = wholeNumber('--seed', options.seed);
      const concurrency = wholeNumber('--concurrency', options.concurrency);
      const city = generateDemoCity({ size: options.size, seed });
      const counts = `${city.jurisdictions.length} jurisdictions, ${city.participants.length} participants, ${city.organizations.length} organizations, ${city.places.length} supermarkets and libraries, ${city.pairings.length} pairings`;
      if (options.dryRun) {
        io.out(
          `demo city --size ${options.size} --seed ${seed}: ${counts}; ${requestsFor(city, options.network, false, options.history)} requests\n`,
        );
        return;
      }
      const started = Date.now();
      const summary = await loadDemoCity(
        {
          registrationUrl: options.registrationUrl,
          ...(options.network && options.activitiesUrl !== undefined
            ? { activitiesUrl: options.activitiesUrl }
            : {}),
        },
        city,
        { concurrency: Math.max(1, concurrency), includeHistory: options.history },
      );
      io.out(
        `demo city --size ${options.size} --seed ${seed} loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.jurisdictions} jurisdictions, ${summary.participants} participants, ${summary.organizations} organizations with ${summary.memberships} members, ${summary.places} supermarkets and libraries, ${summary.pairings} pairings\n`,
      );
    });
}
