import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSynth } from '../src/tools/synth-command';
import { startFakeS3, type FakeS3 } from './support/fake-s3';
import type { Json } from './support/synth';

const root = resolve(__dirname, '..');
const context = (JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as Json).context as Json;

/** The fenced bash block after `<!-- <marker> -->` in a README, without the list indentation. */
function runbookBlock(readme: string, marker: string): string {
  const text = readFileSync(join(root, readme), 'utf8');
  const at = text.indexOf(`<!-- ${marker} -->`);
  expect(at, `${readme} has no <!-- ${marker} --> marker`).toBeGreaterThan(0);
  const block = /```bash\n([\s\S]*?)\n\s*```/.exec(text.slice(at));
  if (!block) throw new Error(`no bash block after <!-- ${marker} --> in ${readme}`);
  return block[1]
    .split('\n')
    .map((line) => line.replace(/^ {3}/, ''))
    .join('\n');
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

/** The environment of the runner without any ECG_* setting, so only the runbook's apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ECG_')));
}

const MARKERS = ['dr:deploy', 'dr:restore-videos', 'dr:copy-restored'];

describe('the disaster-recovery runbook (README, Disaster recovery)', () => {
  it.each(MARKERS)('gives the same %s commands in README.md and README.ko.md', (marker) => {
    expect(runbookBlock('README.ko.md', marker)).toBe(runbookBlock('README.md', marker));
  });

  it('fails at synth with the old step 1 alone: the replica region must differ from the stack region', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dr-old-'));
    try {
      const outcome = runSynth({ context, env: { ECG_REGION: 'us-west-2' }, outdir, cwd: outdir });
      expect(outcome.exitCode).toBe(1);
      expect(outcome.report).toContain(
        "production.storage.replicaRegion us-west-2 must differ from the stack's region us-west-2 (a stack moved into us-west-2 sets ECG_DR_REGION to a third region)",
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("finds the lost stack's replica (its output s3_video_replica_bucket) by the name the stack gives it", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dr-primary-'));
    try {
      expect(runSynth({ context, env: {}, outdir, cwd: outdir }).exitCode).toBe(0);
      const production = JSON.parse(
        readFileSync(join(outdir, 'stacks', 'production', 'cdk.tf.json'), 'utf8'),
      ) as Json;
      const output = production.output.s3_video_replica_bucket.value as string;
      const [, type, name] = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.bucket\}$/.exec(output) ?? [];
      expect(type).toBe('aws_s3_bucket');
      expect(production.resource.aws_s3_bucket[name].bucket).toBe(
        'ecg-video-pipeline-production-video-us-west-2-${random_id.suffix.hex}',
      );
      expect(runbookBlock('README.md', 'dr:restore-videos')).toContain(
        "starts_with(Name, 'ecg-video-pipeline-production-video-us-west-2-')",
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  describe('step 1, the deploy into the second region, synthesized exactly as written', () => {
    const script = runbookBlock('README.md', 'dr:deploy');
    const lines = script.split('\n').filter((l) => l.trim() !== '');
    const exported = Object.fromEntries(
      lines
        .filter((l) => l.startsWith('export '))
        .flatMap((l) => l.slice('export '.length).trim().split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    const commands = lines.filter((l) => !l.startsWith('export '));
    let outdir: string;
    let synth: { code: number; output: string };
    const stack = (name: string) =>
      JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as Json;

    beforeAll(async () => {
      outdir = mkdtempSync(join(tmpdir(), 'dr-synth-'));
      // The deploy scripts run `cdktf deploy <stack>`, whose first step is this synth of every stack.
      synth = await run('npx', ['cdktf', 'synth', '--output', outdir], {
        cwd: root,
        env: { ...cleanEnv(), ...exported, CHECKPOINT_DISABLE: '1', ECG_TFVARS_DIR: outdir },
      });
    }, 180_000);

    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('sets a new project, the second region, a third region for its copies and a new state backend', () => {
      expect(exported).toEqual({
        ECG_PROJECT: 'ecg-video-pipeline-dr',
        ECG_REGION: 'us-west-2',
        ECG_DR_REGION: 'us-east-2',
        ECG_STATE_BUCKET: 'ecg-video-pipeline-dr-tfstate',
        ECG_LOCK_TABLE: 'ecg-video-pipeline-dr-tflock',
      });
      expect(commands).toEqual(['npm run deploy:state-backend', 'npm run deploy:production']);
    });

    it('synthesizes', () => {
      expect(synth.code, synth.output).toBe(0);
    });

    it('creates the state backend in us-west-2', () => {
      const backend = stack('state-backend');
      expect((backend.provider.aws as Json[]).map((p) => p.region)).toEqual(['us-west-2']);
      expect(Object.values(backend.resource.aws_s3_bucket as Json).map((b) => b.bucket)).toEqual([
        'ecg-video-pipeline-dr-tfstate',
      ]);
      expect(Object.values(backend.resource.aws_dynamodb_table as Json).map((t) => t.name)).toEqual([
        'ecg-video-pipeline-dr-tflock',
      ]);
    });

    it('deploys production in us-west-2 with its state there, its copies in us-east-2', () => {
      const production = stack('production');
      expect(production.terraform.backend.s3).toMatchObject({
        bucket: 'ecg-video-pipeline-dr-tfstate',
        dynamodb_table: 'ecg-video-pipeline-dr-tflock',
        key: 'ecg-video-pipeline-dr/production/terraform.tfstate',
        region: 'us-west-2',
      });
      expect((production.provider.aws as Json[]).map((p) => [p.alias ?? 'default', p.region])).toEqual([
        ['default', 'us-west-2'],
        ['us_east_1', 'us-east-1'],
        ['dr', 'us-east-2'],
      ]);
      const buckets = Object.values(production.resource.aws_s3_bucket as Json).map((b) => b.bucket as string);
      expect(buckets).toContain('ecg-video-pipeline-dr-production-video-storage-${random_id.suffix.hex}');
      expect(buckets).toContain('ecg-video-pipeline-dr-production-video-us-east-2-${random_id.suffix.hex}');
      const backups = Object.values(
        production.resource.aws_db_instance_automated_backups_replication as Json,
      ) as Json[];
      expect(backups.map((b) => b.provider)).toEqual(['aws.dr']);
    });
  });

  describe('step 4, the video copy, run with the AWS CLI against a fake S3 on 127.0.0.1', () => {
    const replica = 'ecg-video-pipeline-production-video-us-west-2-0a1b2c3d';
    const videos = 'ecg-video-pipeline-dr-production-video-storage-9f8e7d6c';
    let s3: FakeS3;
    let work: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      s3 = await startFakeS3();
      work = mkdtempSync(join(tmpdir(), 'dr-restore-'));
      // `terraform output` of the recovery stack names its video bucket; Terraform itself is not
      // under test here, so a stand-in answers for it.
      const bin = join(work, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'terraform'),
        `#!/bin/sh\n[ "$*" = "-chdir=cdktf.out/stacks/production output -raw s3_video_storage_bucket" ] && printf '%s' '${videos}' && exit 0\nexit 1\n`,
      );
      chmodSync(join(bin, 'terraform'), 0o755);
      writeFileSync(
        join(work, 'aws-config'),
        '[default]\nregion = us-west-2\ns3 =\n  addressing_style = path\n',
      );
      env = {
        ...cleanEnv(),
        PATH: `${bin}:${process.env.PATH}`,
        AWS_ENDPOINT_URL: s3.endpoint,
        AWS_CONFIG_FILE: join(work, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'test-only-not-a-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      s3.buckets.set(replica, new Map());
      s3.buckets.set('ecg-video-pipeline-production-logs-us-west-2-0a1b2c3d', new Map());
      s3.buckets.set(videos, new Map());
      const objects = s3.buckets.get(replica)!;
      objects.set('rendered/clip.mp4', { storageClass: 'GLACIER_IR', body: 'rendered' });
      objects.set('uploads/recent.mp4', { storageClass: 'STANDARD', body: 'recent' });
      objects.set('uploads/old clip.mp4', { storageClass: 'GLACIER', body: 'old one' });
      objects.set('uploads/older.mp4', { storageClass: 'GLACIER', body: 'old two' });
    }, 60_000);

    afterAll(async () => {
      await s3.stop();
      rmSync(work, { recursive: true, force: true });
    });

    const copied = () => [...s3.buckets.get(videos)!.keys()].sort();

    it('copies what is readable and asks a Bulk restore of each GLACIER object, nothing else', async () => {
      const result = await run(
        'bash',
        ['-euo', 'pipefail', '-c', runbookBlock('README.md', 'dr:restore-videos')],
        {
          cwd: work,
          env,
        },
      );
      expect(result.code, result.output).toBe(0);
      expect(copied()).toEqual(['rendered/clip.mp4', 'uploads/recent.mp4']);
      expect(s3.restores.map((r) => [r.bucket, r.key])).toEqual([
        [replica, 'uploads/old clip.mp4'],
        [replica, 'uploads/older.mp4'],
      ]);
      for (const r of s3.restores) {
        expect(r.body).toMatch(/<Days>7<\/Days>/);
        expect(r.body).toMatch(/<GlacierJobParameters><Tier>Bulk<\/Tier><\/GlacierJobParameters>/);
      }
    }, 120_000);

    it('skips restored GLACIER objects without --force-glacier-transfer (the listing has no restore status)', async () => {
      const script = `REPLICA=${replica} VIDEOS=${videos}\n${runbookBlock('README.md', 'dr:copy-restored').replace(' --force-glacier-transfer', '')}`;
      const result = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, env });
      expect(result.output).toContain('Object is of storage class GLACIER');
      expect(copied()).toEqual(['rendered/clip.mp4', 'uploads/recent.mp4']);
    }, 120_000);

    it('copies the restored objects with the command as written', async () => {
      const script = `REPLICA=${replica} VIDEOS=${videos}\n${runbookBlock('README.md', 'dr:copy-restored')}`;
      expect(script).toContain('--force-glacier-transfer');
      const result = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: work, env });
      expect(result.code, result.output).toBe(0);
      expect(copied()).toEqual([
        'rendered/clip.mp4',
        'uploads/old clip.mp4',
        'uploads/older.mp4',
        'uploads/recent.mp4',
      ]);
    }, 120_000);
  });
});
