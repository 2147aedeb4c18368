import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseProcessStat,
  parseProcessStatus,
  processCpuMs,
  processMemory,
} from '../../src/process-usage.js';

const HAS_PROC = existsSync('/proc/self/status');
if (!HAS_PROC) process.stdout.write('SKIPPED reading this process from /proc: no /proc here\n');

const STATUS = [
  'Name:\tpython3',
  'VmPeak:\t 9000000 kB',
  'VmHWM:\t 2097152 kB',
  'VmRSS:\t 1048576 kB',
];

describe('process usage from /proc', () => {
  it('when a status text is read, then VmRSS and VmHWM come back in MB', () => {
    expect(parseProcessStatus(STATUS.join('\n'))).toEqual({ rssMb: 1024, peakRssMb: 2048 });
  });

  it('when a status text lacks VmRSS (a kernel thread, a zombie), then it is an error, not zero', () => {
    expect(() => parseProcessStatus(STATUS.slice(0, 3).join('\n'))).toThrow(/VmRSS/);
  });

  it('when the command name holds spaces and parentheses, then utime and stime are still found', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const stat = '4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0';
    expect(parseProcessStat(stat)).toBe(3_000);
  });

  it.skipIf(!HAS_PROC)(
    'when this process is read, then its RSS and CPU are positive and the peak is at least the RSS',
    async () => {
      const memory = await processMemory(process.pid);
      expect(memory.rssMb).toBeGreaterThan(0);
      expect(memory.peakRssMb).toBeGreaterThanOrEqual(memory.rssMb);
      expect(await processCpuMs(process.pid)).toBeGreaterThan(0);
    },
  );
});
