/**
 * Another process's memory and CPU as the kernel counts them, so a benchmark
 * can print the figures of the process it measures (a service in a child, the
 * MongoDB stand-in) rather than its own. Linux only: it reads /proc.
 */
import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  /** Resident set size now (VmRSS), in MB. */
  readonly rssMb: number;
  /** The highest resident set size the process has had (VmHWM), in MB. */
  readonly peakRssMb: number;
}

const KB_PER_MB = 1024;
/** /proc counts CPU in USER_HZ ticks, 100 a second on every Linux architecture Node runs on. */
const MS_PER_TICK = 10;

/** Reads /proc/<pid>/status; rejects when the process is gone or /proc is missing. */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return parseProcessStatus(status);
}

/** The memory lines of a /proc/<pid>/status text; a missing line is an error, not zero. */
export function parseProcessStatus(status: string): ProcessMemory {
  const megabytes = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (match === null) throw new Error(`/proc status has no ${name} line`);
    return Math.round(Number(match[1]) / KB_PER_MB);
  };
  return { rssMb: megabytes('VmRSS'), peakRssMb: megabytes('VmHWM') };
}

/**
 * Samples a process's RSS every `intervalMs` and keeps the highest seen; VmHWM
 * alone is the peak since the process started, which for a server shared by
 * several stages is not the peak of the stage being measured.
 */
export function sampleProcessMemory(
  pid: number,
  intervalMs = 500,
): { readonly peakRssMb: () => number; stop: () => Promise<ProcessMemory> } {
  let peak = 0;
  const sample = async (): Promise<ProcessMemory> => {
    const memory = await processMemory(pid);
    peak = Math.max(peak, memory.rssMb);
    return memory;
  };
  const timer = setInterval(() => {
    sample().catch(() => undefined); // the process may be gone between two samples
  }, intervalMs);
  return {
    peakRssMb: () => peak,
    async stop() {
      clearInterval(timer);
      const last = await sample();
      return { rssMb: last.rssMb, peakRssMb: peak };
    },
  };
}

/** The CPU (user and system) the process has used since it started, in ms. */
export async function processCpuMs(pid: number): Promise<number> {
  return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime of a /proc/<pid>/stat line, in ms. */
export function parseProcessStat(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line: 11 and 12 after the state (field 3).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`/proc stat line without CPU times: ${stat.slice(0, 80)}`);
  return (utime + stime) * MS_PER_TICK;
}
