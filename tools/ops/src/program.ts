/** The operator CLI's commands, built on one commander program so every level has --help. */
import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerHealth } from './commands/health.js';
import { registerImport } from './commands/import.js';
import { registerKafka } from './commands/kafka.js';
import { registerToken } from './commands/token.js';
import { CliError, processIo, type Io } from './io.js';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('learning')
    .description(
      'operate the learning-society platform: topics, imports, dead letters, tokens, health, the demo city',
    )
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerKafka(program, io);
  registerImport(program, io);
  registerToken(program, io);
  registerHealth(program, io);
  registerDemo(program, io);
  // Every subcommand inherits the output and throws instead of exiting, so run() decides the exit code.
  const configure = (command: Command): void => {
    command.configureOutput({ writeOut: io.out, writeErr: io.err }).exitOverride();
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the CLI on `argv` (without node and the script); resolves the exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed why; a wrong command line is exit code 2, help is 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      io.err(`learning: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`learning: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
