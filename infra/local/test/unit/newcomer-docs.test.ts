/**
 * What a newcomer copies from the documentation works as written: links stay
 * inside the repository and point at files that exist, and the URLs of curl
 * commands are ASCII (curl sends a URL as typed; a Chinese query value must go
 * through --data-urlencode, or the server answers 400).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const markdownFiles = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
  { cwd: root, encoding: 'utf8' },
)
  .split('\n')
  .filter((file) => file !== '');

const read = (file: string): string => readFileSync(resolve(root, file), 'utf8');

describe('the documentation', () => {
  it('when the repository is read, then there are documents to check', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('docs/domain.md');
  });

  it('when a document links a relative path, then the target is a file inside the repository', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const [, target = ''] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target)) continue;
        const path = resolve(root, dirname(file), target.split('#')[0] ?? '');
        const inside = !relative(root, path).startsWith('..');
        if (!inside || !existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('when a document shows a curl command, then its URL is ASCII', () => {
    const commands = markdownFiles.flatMap((file) =>
      read(file)
        .split('\n')
        .filter((line) => /(^|[`\s])curl\s/.test(line))
        .map((line) => ({ file, line })),
    );
    expect(commands.map(({ line }) => line).join('\n')).toContain('--data-urlencode');
    const nonAscii = commands.filter(({ line }) =>
      [...line.matchAll(/https?:\/\/[^\s'"`]+/g)].some(([url]) => /[^\x21-\x7e]/.test(url)),
    );
    expect(nonAscii).toEqual([]);
  });
});
