import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { synthStack } from './support/app';

/**
 * Terraform's own S3 backend, configured exactly as the staging stack synthesizes it, against
 * S3 (s3rver) and DynamoDB (dynalite) emulators on 127.0.0.1. Only endpoints, credentials, path
 * style and skip flags are overridden. The configuration holds no provider resources: the one
 * `terraform apply` of the suite touches nothing but these emulators.
 */

const run = promisify(execFile);
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a Node CLI and resolves once it prints `ready`. */
function startServer(args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start: ${args.join(' ')}\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('S3 + DynamoDB state backend (emulated on 127.0.0.1)', () => {
  const backend = synthStack('staging').terraform.backend.s3;
  const work = mkdtempSync(join(tmpdir(), 'backend-'));
  let s3rver: ChildProcess | undefined;
  let dynalite: ChildProcess | undefined;
  let s3: S3Client;
  let ddb: DynamoDBClient;
  let tfEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const [s3Port, ddbPort] = [await freePort(), await freePort()];
    s3rver = await startServer(
      [
        require.resolve('s3rver/bin/s3rver.js'),
        '--directory',
        join(work, 's3'),
        '--address',
        '127.0.0.1',
        '--port',
        String(s3Port),
        '--configure-bucket',
        backend.bucket,
      ],
      /listening/i,
    );
    dynalite = await startServer(
      [
        require.resolve('dynalite/cli.js'),
        '--host',
        '127.0.0.1',
        '--port',
        String(ddbPort),
        '--createTableMs',
        '0',
      ],
      /listening/i,
    );
    const s3Endpoint = `http://127.0.0.1:${s3Port}`;
    const ddbEndpoint = `http://127.0.0.1:${ddbPort}`;
    s3 = new S3Client({ region: backend.region, endpoint: s3Endpoint, forcePathStyle: true, credentials });
    ddb = new DynamoDBClient({ region: backend.region, endpoint: ddbEndpoint, credentials });
    await ddb.send(
      new CreateTableCommand({
        TableName: backend.dynamodb_table,
        AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 50; i++) {
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: backend.dynamodb_table }));
      if (Table?.TableStatus === 'ACTIVE') break;
      await sleep(100);
    }

    const config = {
      terraform: {
        backend: {
          s3: {
            ...backend,
            endpoints: { s3: s3Endpoint, dynamodb: ddbEndpoint },
            use_path_style: true,
            access_key: credentials.accessKeyId,
            secret_key: credentials.secretAccessKey,
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
            skip_s3_checksum: true,
          },
        },
      },
      resource: {
        terraform_data: {
          // Holds the lock until the test has seen a second run refused (at most 30 s).
          marker: {
            input: 'backend-test',
            provisioner: [
              {
                'local-exec': {
                  command: `for i in $(seq 300); do [ -e '${join(work, 'release')}' ] && exit 0; sleep 0.1; done; exit 1`,
                },
              },
            ],
          },
        },
      },
      output: { marker: { value: '${terraform_data.marker.output}' } },
    };
    writeFileSync(join(work, 'main.tf.json'), JSON.stringify(config, null, 2));
    tfEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
    await run('terraform', [`-chdir=${work}`, 'init', '-input=false', '-no-color'], { env: tfEnv });
  });

  afterAll(async () => {
    s3?.destroy();
    ddb?.destroy();
    await stop(s3rver);
    await stop(dynalite);
  });

  it('writes the state under <project>/staging/terraform.tfstate, takes the lock and refuses a concurrent run', async () => {
    expect(backend.key).toBe('ecg-video-pipeline/staging/terraform.tfstate');
    const lockId = `${backend.bucket}/${backend.key}`;

    const first = spawn(
      'terraform',
      [`-chdir=${work}`, 'apply', '-auto-approve', '-input=false', '-no-color'],
      {
        env: tfEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let firstOutput = '';
    first.stdout.on('data', (c: Buffer) => (firstOutput += c.toString()));
    first.stderr.on('data', (c: Buffer) => (firstOutput += c.toString()));
    const firstExit = new Promise<number | null>((resolve) => first.once('exit', resolve));

    try {
      let lock: Record<string, { S?: string }> | undefined;
      for (let i = 0; i < 100 && !lock; i++) {
        const { Items } = await ddb.send(new ScanCommand({ TableName: backend.dynamodb_table }));
        lock = Items?.find((item) => item.LockID?.S === lockId);
        if (!lock) await sleep(100);
      }
      expect(lock, `no lock item ${lockId}; first run said:\n${firstOutput}`).toBeDefined();
      expect(JSON.parse(lock!.Info!.S!)).toMatchObject({ Operation: 'OperationTypeApply', Path: lockId });

      const second = await run(
        'terraform',
        [`-chdir=${work}`, 'plan', '-input=false', '-no-color', '-lock-timeout=0s'],
        { env: tfEnv },
      ).then(
        () => ({ code: 0, output: '' }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          output: e.stdout + e.stderr,
        }),
      );
      expect(second.code).not.toBe(0);
      expect(second.output).toContain('Error acquiring the state lock');
      expect(second.output).toContain('ConditionalCheckFailedException');
    } finally {
      writeFileSync(join(work, 'release'), '');
      expect(await firstExit, firstOutput).toBe(0);
    }

    const object = await s3.send(new GetObjectCommand({ Bucket: backend.bucket, Key: backend.key }));
    const state = JSON.parse(await object.Body!.transformToString());
    expect(state.outputs.marker.value).toBe('backend-test');
    expect(state.resources.map((r: { type: string }) => r.type)).toEqual(['terraform_data']);

    const { Items } = await ddb.send(new ScanCommand({ TableName: backend.dynamodb_table }));
    const ids = (Items ?? []).map((item) => item.LockID?.S);
    expect(ids).toContain(`${lockId}-md5`);
    expect(ids).not.toContain(lockId);
  });
});
