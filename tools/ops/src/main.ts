#!/usr/bin/env node
/** The `learning` bin: see program.ts, or `learning --help`. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
