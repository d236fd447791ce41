import { Testing } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../src/app';
import { MAX_PROJECT_LENGTH, environmentConfig, resolveSettings } from '../src/config';
import { nameLimitViolations } from '../src/lib/aws/name-check';
import { collectIssues } from '../src/lib/validation';
import { runSynth } from '../src/tools/synth-command';
import { readCdktfJson } from '../src/tools/synth';
import type { Json } from './support/synth';

/** Both platform stacks built for `project`, skipping the config check (to see what AWS would say). */
function platformJson(project: string): Record<string, Json> {
  const settings = resolveSettings({ context: () => undefined, env: { ECG_PROJECT: project } });
  // The modules check their own names too; collecting their issues lets the stacks build anyway.
  const { result: built } = collectIssues(() =>
    buildApp(Testing.app(), {
      settings,
      environments: (['staging', 'production'] as const).map((name) => environmentConfig(name, settings)),
    }),
  );
  if (!built) throw new Error('the app did not build');
  return Object.fromEntries(
    Object.entries(built.platforms).map(([name, stack]) => [name, JSON.parse(Testing.synth(stack)) as Json]),
  );
}

describe('the project-name budget is exact', () => {
  const longest = 'p'.repeat(MAX_PROJECT_LENGTH);

  it(`is ${MAX_PROJECT_LENGTH} characters: the production ElastiCache id <project>-production-redis is at most 40 (CreateReplicationGroup)`, () => {
    expect(MAX_PROJECT_LENGTH).toBe(23);
  });

  it('fits every generated name of both stacks at the longest allowed project name', () => {
    for (const json of Object.values(platformJson(longest))) expect(nameLimitViolations(json)).toEqual([]);
    const root = mkdtempSync(join(tmpdir(), 'names-'));
    try {
      const context = readCdktfJson(resolve(__dirname, '..')).context ?? {};
      const outcome = runSynth({
        context,
        env: { ECG_PROJECT: longest },
        outdir: join(root, 'out'),
        cwd: root,
      });
      expect(outcome.report).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fails at one character more: the ElastiCache id would be 41 characters', () => {
    const json = platformJson(`${longest}p`);
    expect(nameLimitViolations(json.staging)).toEqual([]);
    expect(nameLimitViolations(json.production)).toEqual([
      expect.objectContaining({
        address: expect.stringMatching(/^aws_elasticache_replication_group\./),
        rule: 'replication_group_id is 41 characters; AWS allows at most 40 (shorten the project name)',
      }),
    ]);
  });
});

describe('nameLimitViolations', () => {
  it('counts a random_id suffix at its length and checks bucket names in full', () => {
    const json = {
      resource: {
        random_id: { suffix: { byte_length: 4 } },
        aws_s3_bucket: {
          long: { bucket: `${'b'.repeat(55)}-\${random_id.suffix.hex}` },
          dots: { bucket: 'a..b' },
          fine: { bucket: 'ok-${random_id.suffix.hex}' },
        },
        aws_lb: { unknown: { name: '${var.name}-x' } },
      },
    };
    expect(nameLimitViolations(json).map((v) => `${v.address} ${v.rule}`)).toEqual([
      'aws_s3_bucket.long is not a valid S3 bucket name: must be 3 to 63 characters long (it has 64)',
      expect.stringMatching(/^aws_s3_bucket\.dots is not a valid S3 bucket name: .*period/),
    ]);
  });

  it('holds EventBridge rule names to 64 characters (EventBridge API Rule Name)', () => {
    const json = {
      resource: {
        aws_cloudwatch_event_rule: { fits: { name: 'r'.repeat(64) }, long: { name: 'r'.repeat(65) } },
      },
    };
    expect(nameLimitViolations(json).map((v) => `${v.address} ${v.rule}`)).toEqual([
      'aws_cloudwatch_event_rule.long name is 65 characters; AWS allows at most 64 (shorten the project name)',
    ]);
  });
});
