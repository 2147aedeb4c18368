/**
 * `learning token mint`: a token the local stack's services accept, signed
 * with the stack's key (infra/local/src/dev-token.ts), for curl.
 */
import { Option, type Command } from 'commander';
import { ROLES, signLocalToken } from '@learning/local-infra';
import { CliError, type Io } from '../io.js';

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

interface MintOptions {
  role: string[];
  jur: string[];
  org: string[];
  dept?: string;
  svc?: string;
  cityWide: boolean;
  sub?: string;
  expires: string;
}

export function registerToken(program: Command, io: Io): void {
  program
    .command('token')
    .description(
      "tokens for the local stack's services (start the stack first: bash infra/local/up.sh)",
    )
    .command('mint')
    .description('print a signed token with the given roles and scope')
    .addOption(
      // No default: an empty list would count as given and mint a token without a role.
      new Option('--role <role>', `a role, one of ${ROLES.join(', ')}; repeat for several`)
        .argParser(collect)
        .makeOptionMandatory(),
    )
    .option('--jur <code>', 'a jurisdiction the token covers; repeat for several', collect, [])
    .option('--city-wide', 'the whole city', false)
    .option('--org <id>', 'an organization the token administers; repeat for several', collect, [])
    .option('--dept <code>', 'the department of a department_officer')
    .option('--svc <name>', 'the calling service, with --role service only')
    .option('--sub <id>', 'the subject (default local-<first role>)')
    .option('--expires <span>', 'lifetime, e.g. 15m, 1h, 365d', '1h')
    .action(async (options: MintOptions) => {
      // Checked here, not by choices(): the parser that collects repeats replaces choices' check.
      const unknown = options.role.filter((role) => !(ROLES as readonly string[]).includes(role));
      if (unknown.length > 0) throw new CliError(`unknown role ${unknown.join(', ')}`, 2);
      // The verifier refuses a service role without its name, and a name without the role.
      if (options.role.includes('service') !== (options.svc !== undefined))
        throw new CliError('--role service and --svc <name> go together', 2);
      const token = await signLocalToken({
        roles: [...new Set(options.role)],
        subject: options.sub ?? `local-${options.role[0] ?? 'user'}`,
        expires: options.expires,
        cityWide: options.cityWide,
        jurisdictions: options.jur,
        organizations: options.org,
        ...(options.dept === undefined ? {} : { department: options.dept }),
        ...(options.svc === undefined ? {} : { service: options.svc }),
      });
      io.out(`${token}\n`);
    });
}
