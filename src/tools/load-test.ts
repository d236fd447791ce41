/**
 * `npm run load-test`: a short load test with pass/fail thresholds, run by the release workflow
 * against staging before production is offered. The load comes from autocannon (HTTP/1.1
 * pipelining-capable benchmarker from the Node.js/Fastify maintainers); this module only reads
 * its flags, collects what it measures and judges the thresholds.
 */
import autocannon from 'autocannon';

/**
 * p95 above which the run fails: the same 2 s as the platform's "API p95 response time above 2 s"
 * alarm (monitoring thresholds `targetResponseP95Seconds: 2`), so a release that passes here does
 * not start by raising it.
 */
export const DEFAULT_MAX_P95_MS = 2000;
/** Share of failed requests (non-2xx answers, connection errors, timeouts) above which the run fails. */
export const DEFAULT_MAX_ERROR_RATE = 0.01;
export const DEFAULT_DURATION_SECONDS = 30;
export const DEFAULT_CONNECTIONS = 10;
/** Seconds a request may take before autocannon counts it as a timeout (an error). */
export const DEFAULT_TIMEOUT_SECONDS = 10;

export const LOAD_TEST_USAGE =
  'usage: npm run load-test -- --url <http(s)://host/path> [--duration <s>] [--connections <n>] ' +
  '[--max-p95-ms <ms>] [--max-error-rate <0..1>] [--timeout <s>]';

export interface LoadTestOptions {
  readonly url: string;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly maxP95Ms: number;
  readonly maxErrorRate: number;
  readonly timeoutSeconds: number;
}

export interface LoadTestResult {
  /** Responses received (any status). */
  readonly responses: number;
  /** Responses outside 2xx. */
  readonly non2xx: number;
  /** Requests that got no response: connection errors and timeouts. */
  readonly requestErrors: number;
  /** (non2xx + requestErrors) / (responses + requestErrors); 1 when nothing was sent. */
  readonly errorRate: number;
  /** 95th percentile of the response latencies, milliseconds (nearest rank); undefined with no response. */
  readonly p95Ms?: number;
}

export interface Verdict {
  readonly pass: boolean;
  /** One line naming every threshold and the measured value. */
  readonly line: string;
}

interface FlagSpec {
  readonly key: keyof LoadTestOptions;
  readonly rule: string;
  readonly accepts: (n: number) => boolean;
}

const NUMBER_FLAGS: Record<string, FlagSpec> = {
  '--duration': {
    key: 'durationSeconds',
    rule: 'must be a number of seconds from 1 to 600',
    accepts: (n) => n >= 1 && n <= 600,
  },
  '--connections': {
    key: 'connections',
    rule: 'must be a whole number from 1 to 1000',
    accepts: (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
  },
  '--max-p95-ms': {
    key: 'maxP95Ms',
    rule: 'must be a number of milliseconds above 0',
    accepts: (n) => n > 0,
  },
  '--max-error-rate': {
    key: 'maxErrorRate',
    rule: 'must be a fraction from 0 to 1 (0.01 is 1 %)',
    accepts: (n) => n >= 0 && n <= 1,
  },
  '--timeout': {
    key: 'timeoutSeconds',
    rule: 'must be a number of seconds from 1 to 120',
    accepts: (n) => n >= 1 && n <= 120,
  },
};

function urlProblem(value: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return `--url "${value}" must be an absolute http:// or https:// URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `--url "${value}" must be an absolute http:// or https:// URL`;
  return undefined;
}

/**
 * Reads the flags (`--name value` or `--name=value`). Every problem is reported at once, in one
 * line, so a CI log shows the whole fix.
 */
export function parseLoadTestArgs(argv: readonly string[]): LoadTestOptions | { readonly error: string } {
  const problems: string[] = [];
  const values: Record<string, number> = {
    durationSeconds: DEFAULT_DURATION_SECONDS,
    connections: DEFAULT_CONNECTIONS,
    maxP95Ms: DEFAULT_MAX_P95_MS,
    maxErrorRate: DEFAULT_MAX_ERROR_RATE,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  };
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const known = name === '--url' || name in NUMBER_FLAGS;
    if (!known) {
      problems.push(`unknown argument ${arg}`);
      continue;
    }
    let value: string | undefined;
    if (eq > 0 && name !== arg) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      problems.push(`${name} needs a value`);
      continue;
    }
    if (name === '--url') {
      url = value;
      const problem = urlProblem(value);
      if (problem) problems.push(problem);
      continue;
    }
    const spec = NUMBER_FLAGS[name];
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!spec.accepts(n)) problems.push(`${name} "${value}" ${spec.rule}`);
    else values[spec.key] = n;
  }
  if (url === undefined && !problems.some((p) => p.startsWith('--url'))) problems.push('--url is required');
  if (problems.length > 0) return { error: `load-test: ${problems.join('; ')}\n${LOAD_TEST_USAGE}` };
  return {
    url: url as string,
    durationSeconds: values.durationSeconds,
    connections: values.connections,
    maxP95Ms: values.maxP95Ms,
    maxErrorRate: values.maxErrorRate,
    timeoutSeconds: values.timeoutSeconds,
  };
}

/**
 * Nearest-rank percentile: the smallest sample with at least `p` % of the samples at or below
 * it. autocannon's own summary has p90 and p97.5 but no p95, so the tool keeps every response's
 * latency (its `response` event) and ranks them itself.
 */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs autocannon against `options.url` and summarizes every response it got. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  let requestErrors = 0;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: options.timeoutSeconds,
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
    // Connection errors and timeouts: requests that never got an answer.
    instance.on('reqError', () => {
      requestErrors++;
    });
  });
  const attempts = latencies.length + requestErrors;
  return {
    responses: latencies.length,
    non2xx,
    requestErrors,
    errorRate: attempts === 0 ? 1 : (non2xx + requestErrors) / attempts,
    p95Ms: percentile(latencies, 95),
  };
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/** Compares a run with its thresholds. */
export function judge(result: LoadTestResult, options: LoadTestOptions): Verdict {
  const counts = `${result.responses} responses, ${result.non2xx} non-2xx, ${result.requestErrors} without response`;
  if (result.p95Ms === undefined) {
    return { pass: false, line: `load-test: FAIL no response from ${options.url} (${counts})` };
  }
  const p95 = result.p95Ms.toFixed(1);
  const p95Ok = result.p95Ms <= options.maxP95Ms;
  const errorsOk = result.errorRate <= options.maxErrorRate;
  const p95Text = `p95 ${p95} ms ${p95Ok ? '<=' : '>'} ${options.maxP95Ms} ms`;
  const errorText = `error rate ${percent(result.errorRate)} ${errorsOk ? '<=' : '>'} ${percent(options.maxErrorRate)}`;
  const pass = p95Ok && errorsOk;
  return { pass, line: `load-test: ${pass ? 'PASS' : 'FAIL'} ${p95Text}, ${errorText} (${counts})` };
}

/** The whole command: flags, run, verdict. Returns the exit code. */
export async function loadTestMain(
  argv: readonly string[],
  log: (line: string) => void = console.log,
  logError: (line: string) => void = console.error,
): Promise<number> {
  const options = parseLoadTestArgs(argv);
  if ('error' in options) {
    logError(options.error);
    return 1;
  }
  log(
    `load-test: ${options.url} for ${options.durationSeconds} s with ${options.connections} connections ` +
      `(thresholds: p95 <= ${options.maxP95Ms} ms, error rate <= ${percent(options.maxErrorRate)})`,
  );
  const verdict = judge(await runLoadTest(options), options);
  (verdict.pass ? log : logError)(verdict.line);
  return verdict.pass ? 0 : 1;
}
