/**
 * `npm run mutation:batches [-- name ...]`: the full mutation run (stryker.config.mjs) split into
 * groups of files run one after the other. Each group writes reports/mutation/batches/<name>.json
 * and keeps its Stryker log as <name>.log; `npm run mutation:report` merges every group's report.
 * A full run takes hours on two cores: a group that finished keeps its result when a later one is
 * stopped, and a group whose report exists is skipped unless named on the command line.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

/** Every file stryker.config.mjs mutates, in exactly one group (__tests__/mutation-report.test.ts). */
export const BATCHES: Readonly<Record<string, readonly string[]>> = {
  gpu: [
    'src/modules/ec2-gpu.ts',
    'src/modules/ec2-gpu-props.ts',
    'src/modules/ec2-gpu-scaling.ts',
    'src/modules/ec2-gpu-target-tracking.ts',
    'src/modules/ec2-gpu-user-data.ts',
    'src/modules/ec2-gpu-validate.ts',
  ],
  ecs: [
    'src/modules/ecs.ts',
    'src/modules/ecs-container.ts',
    'src/modules/alb.ts',
    'src/modules/ecr.ts',
    'src/modules/redeploy-on-secret-change.ts',
    'src/modules/api-release.ts',
    'src/modules/ecs-collector.ts',
  ],
  network: [
    'src/modules/vpc.ts',
    'src/modules/github-oidc.ts',
    'src/modules/github-oidc-actions.ts',
    'src/modules/queue-depth-publisher.ts',
  ],
  data: [
    'src/modules/rds.ts',
    'src/modules/rds-backup-replication.ts',
    'src/modules/elasticache.ts',
    'src/modules/storage.ts',
    'src/modules/bucket-replication.ts',
  ],
  edge: [
    'src/modules/cloudfront.ts',
    'src/modules/cloudfront-functions.ts',
    'src/modules/cloudfront-props.ts',
    'src/modules/cloudfront-validate.ts',
    'src/modules/cloudfront-waf.ts',
    'src/modules/domain-certificate.ts',
    'src/modules/domain-dns.ts',
  ],
  monitoring: [
    'src/modules/monitoring.ts',
    'src/modules/monitoring-dashboard.ts',
    'src/modules/monitoring-fleets.ts',
    'src/modules/monitoring-props.ts',
    'src/modules/xray-sampling.ts',
  ],
  stacks: ['src/stacks/**/*.ts'],
};

if (require.main === module) {
  const asked = process.argv.slice(2);
  for (const name of asked) {
    if (!(name in BATCHES)) {
      console.error(`unknown group "${name}": one of ${Object.keys(BATCHES).join(', ')}`);
      process.exit(1);
    }
  }
  mkdirSync('reports/mutation/batches', { recursive: true });
  for (const [name, files] of Object.entries(BATCHES)) {
    const report = `reports/mutation/batches/${name}.json`;
    if (asked.length > 0 ? !asked.includes(name) : existsSync(report)) continue;
    console.log(`mutation group ${name}: ${files.join(', ')}`);
    const run = spawnSync('npx', ['stryker', 'run', '--mutate', files.join(',')], {
      stdio: 'inherit',
      env: { ...process.env, ECG_MUTATION_BATCH: name },
    });
    if (existsSync('stryker.log')) copyFileSync('stryker.log', `reports/mutation/batches/${name}.log`);
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
