import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GpuFleet } from '../src/modules/ec2-gpu';
import { synthScope } from './support/synth';
import { environments, fleetProps } from './variants/ec2-gpu';

/**
 * Runs a GPU host's user data with bash, as cloud-init would, with stand-ins on PATH for what a
 * test cannot run: systemctl, docker, aws, curl (instance metadata), dpkg and the CloudWatch
 * agent's ctl. The script's absolute roots (/etc, /usr/local/bin, /opt, /run, /tmp) move under a
 * throwaway directory; nothing else in the script changes.
 */

const ROOTS = /(^|[\s"'=:>(])\/(etc|usr\/local\/bin|opt|run|tmp)\//gm;

/** The script with its absolute roots under `root`. */
function rooted(script: string, root: string): string {
  const out = script.replace(ROOTS, (_m, before: string, dir: string) => `${before}${root}/${dir}/`);
  if (out === script) throw new Error('no absolute path moved: the rewrite no longer fits the script');
  return out;
}

/** A fake command: logs its arguments to `$FAKE_LOG` as `<name> <args>`, then runs `body`. */
function fake(dir: string, name: string, body: string): void {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/bash\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`);
  chmodSync(path, 0o755);
}

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  /** Every fake call in order, `<command> <args>`. */
  readonly calls: string[];
  readonly root: string;
}

/**
 * systemctl starts a unit by running its ExecStartPre lines (a leading `-` ignores a failure),
 * then records `started <unit>`; without --no-block it fails as systemctl does when the start
 * job fails, with --no-block it returns at once (the job is queued) whatever the job does.
 */
const SYSTEMCTL = [
  '[ "$1" = enable ] || exit 0',
  'unit=""; noblock=0',
  'for a in "$@"; do',
  '  case "$a" in --no-block) noblock=1 ;; *.service) unit="$a" ;; esac',
  'done',
  'ok=1',
  'while IFS= read -r line; do',
  '  cmd="${line#ExecStartPre=}"',
  '  if [ "${cmd#-}" != "$cmd" ]; then ${cmd#-} || true; else $cmd || { ok=0; break; }; fi',
  'done < <(grep \'^ExecStartPre=\' "$UNIT_DIR/$unit")',
  'if [ "$ok" = 1 ]; then echo "started $unit" >> "$FAKE_LOG"; else echo "start failed $unit" >> "$FAKE_LOG"; fi',
  '[ "$ok" = 1 ] || [ "$noblock" = 1 ]',
].join('\n');

/** Runs the fleet's user data on this machine with the fakes; `docker pull` fails when `pullFails`. */
function runUserData(script: string, pullFails: boolean): Run {
  const root = mkdtempSync(join(tmpdir(), 'gpu-host-'));
  const bin = join(root, 'fake-bin');
  for (const dir of ['fake-bin', 'etc/systemd/system', 'usr/local/bin', 'run', 'tmp'])
    mkdirSync(join(root, dir), { recursive: true });
  const log = join(root, 'calls.log');
  writeFileSync(log, '');
  fake(bin, 'systemctl', SYSTEMCTL);
  fake(
    bin,
    'curl',
    // Instance metadata only: a token, the instance id; anything else (the agent download) fails.
    String.raw`case "$*" in
  *latest/api/token*) echo token ;;
  *meta-data/instance-id*) echo i-0123456789abcdef0 ;;
  *) exit 7 ;;
esac`,
  );
  fake(bin, 'dpkg', 'exit 1');
  fake(
    bin,
    'aws',
    'case "$1 $2" in "ecr get-login-password") echo ecr-token ;; *) echo secret-value ;; esac',
  );
  fake(
    bin,
    'docker',
    pullFails
      ? 'case "$1" in login) cat > /dev/null ;; pull) echo "pull access denied" >&2; exit 1 ;; esac'
      : 'case "$1" in login) cat > /dev/null ;; esac',
  );
  const ctl = join(root, 'opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl');
  mkdirSync(dirname(ctl), { recursive: true });
  mkdirSync(join(root, 'opt/aws/amazon-cloudwatch-agent/etc'), { recursive: true });
  writeFileSync(ctl, '#!/bin/bash\necho "agent-ctl $*" >> "$FAKE_LOG"\n');
  chmodSync(ctl, 0o755);

  const result = spawnSync('bash', ['-s'], {
    input: rooted(script, root),
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      FAKE_LOG: log,
      UNIT_DIR: join(root, 'etc/systemd/system'),
      HOME: root,
    },
  });
  return {
    status: result.status,
    stderr: result.stderr,
    calls: readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
    root,
  };
}

function fleetScript(fleet: 'modelServer' | 'renderWorker'): string {
  let script = '';
  synthScope((scope) => {
    script = new GpuFleet(scope, 'fleet', fleetProps(environments.production, fleet)).userDataScript;
  });
  return script;
}

describe('GPU host user data run with stand-ins (image pull fails on first start)', () => {
  const runs: Run[] = [];
  afterAll(() => {
    for (const run of runs) rmSync(run.root, { recursive: true, force: true });
  });
  function run(script: string, pullFails: boolean): Run {
    const r = runUserData(script, pullFails);
    runs.push(r);
    return r;
  }

  it('starts the CloudWatch agent and the drain watcher although the service cannot pull its image', () => {
    const r = run(fleetScript('renderWorker'), true);
    // The only complaint is the pull's (from the start job the stand-in runs in the foreground).
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: 'pull access denied\n' });
    const agentConfig = `${r.root}/opt/aws/amazon-cloudwatch-agent/etc/render-worker.json`;
    expect(r.calls).toContain(`agent-ctl -a fetch-config -m ec2 -s -c file:${agentConfig}`);
    expect(JSON.parse(readFileSync(agentConfig, 'utf8')).metrics.namespace).toBe('CWAgent');
    expect(r.calls).toContain('started render-worker-drain.service');
    expect(r.calls).toContain(
      'docker pull 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/ecg-video-pipeline-production-render-worker:v1',
    );
    expect(r.calls).toContain('start failed render-worker.service');
    // The service's start comes last and is queued, not awaited.
    expect(r.calls.filter((c) => c.startsWith('systemctl enable')).at(-1)).toBe(
      'systemctl enable --now --no-block render-worker.service',
    );
  });

  it('starts the agent on a host without a drain watcher (model server) all the same', () => {
    const r = run(fleetScript('modelServer'), true);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('agent-ctl'))).toHaveLength(1);
    expect(r.calls).toContain('start failed model-server.service');
    expect(r.calls.some((c) => c.includes('drain'))).toBe(false);
  });

  it('starts the service when the pull works, after the agent and the watcher', () => {
    const r = run(fleetScript('renderWorker'), false);
    expect(r.status).toBe(0);
    const at = (line: string) => r.calls.findIndex((c) => c.startsWith(line));
    expect(at('started render-worker.service')).toBeGreaterThan(at('started render-worker-drain.service'));
    expect(at('started render-worker-drain.service')).toBeGreaterThan(at('agent-ctl'));
    expect(existsSync(`${r.root}/run/render-worker/secrets.env`)).toBe(true);
  });

  it('fails when the service start blocks: a failed start then ends the script (the stand-in is faithful)', () => {
    const blocking = fleetScript('renderWorker').replace(
      'systemctl enable --now --no-block render-worker.service',
      'systemctl enable --now render-worker.service',
    );
    const r = run(blocking, true);
    expect(r.status).not.toBe(0);
    expect(r.calls).toContain('start failed render-worker.service');
  });
});
