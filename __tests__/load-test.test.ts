import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { judge, loadTestMain, parseLoadTestArgs, percentile } from '../src/tools/load-test';

const run = promisify(execFile);
const root = join(__dirname, '..');
const USAGE =
  'usage: npm run load-test -- --url <http(s)://host/path> [--duration <s>] [--connections <n>] ' +
  '[--max-p95-ms <ms>] [--max-error-rate <0..1>] [--timeout <s>]';

/** An HTTP server on 127.0.0.1 (random port) answering with `handler`; the test closes it. */
async function loopbackServer(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<{ url: string; close: () => Promise<void>; requests: () => number }> {
  let n = 0;
  const server: Server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/health`,
    requests: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs the command in-process, keeping what it prints. */
async function loadTest(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await loadTestMain(
    argv,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

const ok = (res: ServerResponse, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(status === 200 ? '{"status":"ok"}' : '{"error":"boom"}');
};

describe('npm run load-test against a loopback server', () => {
  it('passes, exit 0, when p95 and error rate are within the thresholds (the npm script end to end)', async () => {
    const server = await loopbackServer((_req, res) => ok(res));
    try {
      const result = await run(
        'npm',
        [
          'run',
          '--silent',
          'load-test',
          '--',
          '--url',
          server.url,
          '--duration',
          '1',
          '--connections',
          '2',
          '--max-p95-ms',
          '2000',
          '--max-error-rate',
          '0.01',
        ],
        { cwd: root },
      );
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toBe(
        `load-test: ${server.url} for 1 s with 2 connections (thresholds: p95 <= 2000 ms, error rate <= 1.00 %)`,
      );
      expect(lines[1]).toMatch(
        /^load-test: PASS p95 \d+\.\d ms <= 2000 ms, error rate 0\.00 % <= 1\.00 % \(\d+ responses, 0 non-2xx, 0 without response\)$/,
      );
      expect(server.requests()).toBeGreaterThan(10);
    } finally {
      await server.close();
    }
  });

  it('fails, exit 1, when the p95 latency is above --max-p95-ms (a slow endpoint)', async () => {
    const server = await loopbackServer((_req, res) => {
      setTimeout(() => ok(res), 250);
    });
    try {
      const result = await loadTest([
        '--url',
        server.url,
        '--duration',
        '1',
        '--connections',
        '2',
        '--max-p95-ms',
        '100',
      ]);
      expect(result.code).toBe(1);
      expect(result.err).toHaveLength(1);
      const verdict = /^load-test: FAIL p95 (\d+\.\d) ms > 100 ms, error rate 0\.00 % <= 1\.00 % /.exec(
        result.err[0],
      );
      expect(verdict, result.err[0]).not.toBeNull();
      expect(Number(verdict?.[1])).toBeGreaterThanOrEqual(250);
    } finally {
      await server.close();
    }
  });

  it('fails, exit 1, when some requests answer 500 (error rate above --max-error-rate)', async () => {
    // Every fifth request fails: 20 % errors against a 1 % threshold.
    const server = await loopbackServer((_req, res, n) => ok(res, n % 5 === 0 ? 500 : 200));
    try {
      const result = await loadTest(['--url', server.url, '--duration', '1', '--connections', '2']);
      expect(result.code).toBe(1);
      expect(result.err).toHaveLength(1);
      const verdict =
        /^load-test: FAIL p95 \d+\.\d ms <= 2000 ms, error rate (\d+\.\d\d) % > 1\.00 % \((\d+) responses, (\d+) non-2xx, 0 without response\)$/.exec(
          result.err[0],
        );
      expect(verdict, result.err[0]).not.toBeNull();
      expect(Number(verdict?.[1])).toBeGreaterThan(15);
      expect(Number(verdict?.[1])).toBeLessThan(25);
      expect(Number(verdict?.[3])).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('fails when nothing answers (connection refused counts as errors, no p95)', async () => {
    const server = await loopbackServer((_req, res) => ok(res));
    const url = server.url;
    await server.close();
    const result = await loadTest(['--url', url, '--duration', '1', '--connections', '1']);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(
      new RegExp(
        `^load-test: FAIL no response from ${url} \\(0 responses, 0 non-2xx, \\d+ without response\\)$`,
      ),
    );
  });
});

describe('load-test flags', () => {
  it('defaults to 30 s, 10 connections, p95 2000 ms (the API latency alarm), 1 % errors, 10 s timeout', () => {
    expect(parseLoadTestArgs(['--url', 'https://staging.example.com/api/health'])).toEqual({
      url: 'https://staging.example.com/api/health',
      durationSeconds: 30,
      connections: 10,
      maxP95Ms: 2000,
      maxErrorRate: 0.01,
      timeoutSeconds: 10,
    });
    expect(
      parseLoadTestArgs(['--url=http://127.0.0.1:1/', '--duration=5', '--max-error-rate=0']),
    ).toMatchObject({
      durationSeconds: 5,
      maxErrorRate: 0,
    });
  });

  it.each([
    [[], 'load-test: --url is required'],
    [
      ['--url', 'ftp://example.com/'],
      'load-test: --url "ftp://example.com/" must be an absolute http:// or https:// URL',
    ],
    [['--url', 'staging/api'], 'load-test: --url "staging/api" must be an absolute http:// or https:// URL'],
    [
      ['--url', 'http://127.0.0.1/', '--duration', '0', '--connections', '2.5', '--max-error-rate', '5'],
      'load-test: --duration "0" must be a number of seconds from 1 to 600; ' +
        '--connections "2.5" must be a whole number from 1 to 1000; ' +
        '--max-error-rate "5" must be a fraction from 0 to 1 (0.01 is 1 %)',
    ],
    [
      ['--url', 'http://127.0.0.1/', '--max-p95-ms', 'fast', '--verbose'],
      'load-test: --max-p95-ms "fast" must be a number of milliseconds above 0; unknown argument --verbose',
    ],
    [['--url', 'http://127.0.0.1/', '--timeout'], 'load-test: --timeout needs a value'],
  ])('fails when the flags are %j, naming every problem in one line', (argv, error) => {
    expect(parseLoadTestArgs(argv)).toEqual({ error: `${error}\n${USAGE}` });
  });

  it('fails on bad flags with exit 1, one message and no stack trace, before sending anything', async () => {
    const result = await run(
      'npm',
      ['run', '--silent', 'load-test', '--', '--url', 'nope', '--duration', '-3', '--connections', 'ten'],
      { cwd: root },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'load-test: --url "nope" must be an absolute http:// or https:// URL; ' +
        '--duration "-3" must be a number of seconds from 1 to 600; ' +
        '--connections "ten" must be a whole number from 1 to 1000\n' +
        `${USAGE}\n`,
    );
  });
});

describe('p95 and the verdict', () => {
  it('computes p95 by nearest rank over every response latency', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeUndefined();
  });

  it('passes at exactly the thresholds and fails just above either', () => {
    const options = {
      url: 'http://127.0.0.1/',
      durationSeconds: 1,
      connections: 1,
      maxP95Ms: 2000,
      maxErrorRate: 0.01,
      timeoutSeconds: 10,
    };
    const at = { responses: 100, non2xx: 1, requestErrors: 0, errorRate: 0.01, p95Ms: 2000 };
    expect(judge(at, options)).toEqual({
      pass: true,
      line: 'load-test: PASS p95 2000.0 ms <= 2000 ms, error rate 1.00 % <= 1.00 % (100 responses, 1 non-2xx, 0 without response)',
    });
    expect(judge({ ...at, p95Ms: 2000.4 }, options).pass).toBe(false);
    expect(judge({ ...at, errorRate: 0.0101 }, options).line).toBe(
      'load-test: FAIL p95 2000.0 ms <= 2000 ms, error rate 1.01 % > 1.00 % (100 responses, 1 non-2xx, 0 without response)',
    );
  });
});
