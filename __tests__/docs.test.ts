import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NOT_APPLICABLE, RULES } from '../src/policies';
import { anchorsOf, brokenLinks, linkTargetsOf, slugOf } from './support/markdown';

const root = resolve(__dirname, '..');

/**
 * The repository's files as git sees them: tracked, plus new files not yet added (so a reference
 * is caught before its commit), minus what .gitignore excludes and what is deleted on disk.
 */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0').filter((f) => f !== '' && existsSync(join(root, f))))].sort();
}

function textOf(file: string): string | undefined {
  const bytes = readFileSync(join(root, file));
  return bytes.includes(0) ? undefined : bytes.toString('utf8');
}

/**
 * References to documents that live outside the repository. Built from parts so this file does
 * not match itself: the folder beside the clone, and the team's design and policy documents by
 * their file names (the project's own design is docs/design.md).
 */
const OUTSIDE_FOLDER = ['..', 'shared'].join('/');
const OUTSIDE_REFERENCES = [OUTSIDE_FOLDER, ['DESIGN', 'md'].join('.'), ['POLICY', 'ANCHORS.md'].join('-')];

describe('the project carries its own design', () => {
  const files = repositoryFiles();

  it('lists the repository through git, new files included', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/design.md');
    expect(files).toContain('__tests__/docs.test.ts');
  });

  it('has no file that refers to a document outside the repository', () => {
    const hits: string[] = [];
    for (const file of files) {
      const text = textOf(file);
      if (text === undefined) continue;
      text.split('\n').forEach((line, i) => {
        for (const ref of OUTSIDE_REFERENCES) if (line.includes(ref)) hits.push(`${file}:${i + 1}: ${ref}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('links docs/design.md from the intro of both READMEs', () => {
    for (const readme of ['README.md', 'README.ko.md']) {
      const intro = readFileSync(join(root, readme), 'utf8').split(/^## /m)[0];
      expect(linkTargetsOf(intro), readme).toContain('docs/design.md');
    }
  });

  it('names only rule ids the policy pack has', () => {
    const design = readFileSync(join(root, 'docs/design.md'), 'utf8');
    const known = new Set([...RULES.map((r) => r.id), ...NOT_APPLICABLE.map((r) => r.id)]);
    const named = [...new Set(design.match(/ECG-[A-Z0-9]+-\d+/g) ?? [])];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((id) => !known.has(id))).toEqual([]);
  });
});

describe('relative markdown links', () => {
  const markdownFiles = repositoryFiles().filter((f) => f.endsWith('.md'));

  it('covers both READMEs and every docs/*.md', () => {
    expect(markdownFiles).toEqual(expect.arrayContaining(['README.md', 'README.ko.md', 'docs/design.md']));
    expect(markdownFiles.filter((f) => /^docs\/[^/]+\.md$/.test(f)).length).toBeGreaterThanOrEqual(4);
  });

  it.each(markdownFiles)('%s: every relative link reaches a file and, into markdown, a heading', (file) => {
    expect(brokenLinks(root, file, readFileSync(join(root, file), 'utf8'))).toEqual([]);
  });
});

describe('the markdown link checker', () => {
  it("slugs headings as GitHub does (README's own table of contents relies on it)", () => {
    expect(slugOf('Deploy-time variables (tfvars)')).toBe('deploy-time-variables-tfvars');
    expect(slugOf('CI/CD')).toBe('cicd');
    expect(slugOf('First deploy, in order')).toBe('first-deploy-in-order');
    expect(slugOf('Day-2 운영')).toBe('day-2-운영');
    expect(slugOf('Planned revisions (not built yet)')).toBe('planned-revisions-not-built-yet');
  });

  it('numbers repeated headings and ignores headings inside code blocks', () => {
    const anchors = anchorsOf(
      '# Setup\n\n## Setup\n\n```bash\n# not a heading\n```\n\n## `npm test` output\n',
    );
    expect([...anchors].sort()).toEqual(['npm-test-output', 'setup', 'setup-1']);
  });

  it('reads inline links, images and reference definitions, but not links in code', () => {
    const markdown = [
      'See [a](a.md#x "title"), ![img](img/p.png) and [b].',
      '`[c](c.md)`',
      '```',
      '[d](d.md)',
      '```',
      '[b]: ./b.md',
    ].join('\n');
    expect(linkTargetsOf(markdown)).toEqual(['a.md#x', 'img/p.png', './b.md']);
  });

  it('fails when a link misses its file or heading, or leaves the repository', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecg-infra-tests-docs-'));
    try {
      mkdirSync(join(dir, 'docs'));
      writeFileSync(join(dir, 'docs', 'design.md'), '# Design\n\n## Network\n');
      const readme = [
        '[ok](docs/design.md#network)',
        '[same file](#intro)',
        '[same file, no heading](#outro)',
        '[no file](docs/missing.md)',
        '[no heading](docs/design.md#security-groups)',
        `[outside](${OUTSIDE_FOLDER}/x.md)`,
        '[web](https://example.com/x#y)',
        '# Intro',
      ].join('\n');
      expect(brokenLinks(dir, 'README.md', readme)).toEqual([
        'README.md: #outro has no such heading',
        'README.md: docs/missing.md -> docs/missing.md does not exist',
        'README.md: docs/design.md#security-groups -> docs/design.md has no heading #security-groups',
        `README.md: ${OUTSIDE_FOLDER}/x.md points outside the repository`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
