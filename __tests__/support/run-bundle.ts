import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FakeAws } from './fake-aws';
import type { LocalRedis } from './redis-server';

/** Credentials the fake AWS endpoint accepts; never real ones. */
export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * Runs the queue-depth function's bundle (`index.js`) in a Node process of its own, as Lambda
 * would: AWS calls go to the fake endpoint, Redis is the local TLS server (whose CA the function
 * trusts through NODE_EXTRA_CA_CERTS, as it trusts Amazon's CAs in Lambda). `env` holds the
 * function's own variables. Returns what the handler resolved to; a rejection fails with its message.
 */
export async function runBundledHandler(
  index: string,
  servers: { readonly redis: LocalRedis; readonly aws: FakeAws },
  env: Readonly<Record<string, string>>,
): Promise<unknown> {
  const script = `require(${JSON.stringify(index)}).handler().then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    // The function's own variables first: the synthesized REDIS_HOST and REDIS_PORT give way to loopback.
    env: {
      ...env,
      PATH: process.env.PATH,
      AWS_REGION: 'ap-northeast-2',
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: servers.aws.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: servers.aws.endpoint,
      NODE_EXTRA_CA_CERTS: servers.redis.caFile,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(servers.redis.port),
    },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}
