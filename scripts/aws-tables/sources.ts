/**
 * Reads AWS's own lists out of the installed AWS SDK packages (devDependencies only). Used by
 * `scripts/update-aws-tables.ts` to write the committed tables under src/lib/aws/data/, and by
 * __tests__/aws-tables.test.ts to prove the committed tables still equal what the SDK says. Synth
 * never loads the SDK: it reads the committed JSON.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The partitions whose regions the project may deploy to. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** `name@version` of an installed package, for the provenance line of a generated table. */
export function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
    version: string;
  };
  return `${name}@${pkg.version}`;
}

function packageRoot(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * Regions per partition from the SDK's endpoint partitions table (the smithy `partitions.json`
 * that `@aws-sdk/core` compiles into `partitionsInfo`). The SDK package exports only a lookup
 * (`partition(region)`), not the table, so the compiled module is read as data. Pseudo-regions
 * (`aws-global`, `aws-cn-global`, `aws-us-gov-global`) are not places to deploy and are dropped.
 */
export function regionsFromSdk(): Record<Partition, string[]> {
  const file = join(
    packageRoot('@aws-sdk/core'),
    'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
  );
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (!text.startsWith('export const partitionsInfo') || start < 0 || end < start) {
    throw new Error(`${file} no longer holds "export const partitionsInfo = {...}"`);
  }
  const info = JSON.parse(text.slice(start, end + 1)) as {
    partitions: { id: string; regions: Record<string, unknown> }[];
  };
  return Object.fromEntries(
    PARTITIONS.map((id) => {
      const partition = info.partitions.find((p) => p.id === id);
      if (!partition) throw new Error(`partition ${id} missing from ${file}`);
      return [id, sorted(Object.keys(partition.regions).filter((r) => !r.endsWith('-global')))];
    }),
  ) as Record<Partition, string[]>;
}

/** Every EC2 instance type the EC2 API accepts: the SDK's `_InstanceType` enum. */
export function ec2InstanceTypesFromSdk(): string[] {
  // Loaded on demand: the EC2 client is large and only this script and the drift test need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { _InstanceType } = require('@aws-sdk/client-ec2') as { _InstanceType: Record<string, string> };
  return sorted(Object.values(_InstanceType));
}

/** ISO 3166-1 alpha-2 codes a WAFv2 geo match statement accepts: the SDK's `CountryCode` enum. */
export function wafCountryCodesFromSdk(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CountryCode } = require('@aws-sdk/client-wafv2') as { CountryCode: Record<string, string> };
  return sorted(Object.values(CountryCode));
}

/** ElastiCache node types by generation, as the API reference lists them. */
export interface ElasticacheNodeTypes {
  /** Node types new clusters may use. */
  readonly current: string[];
  /** "Existing clusters are still supported but creation of new clusters is not supported." */
  readonly previous: string[];
}

/**
 * ElastiCache node types from the API reference text the SDK ships (the doc comment of
 * `CacheNode` in @aws-sdk/client-elasticache, the same text as
 * docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html). The list has no
 * enum in the API model, so the text is parsed: each `<code>cache.*</code>` belongs to the latest
 * "Current generation" or "Previous generation" heading above it.
 */
export function elasticacheNodeTypesFromSdk(): ElasticacheNodeTypes {
  const file = join(packageRoot('@aws-sdk/client-elasticache'), 'dist-types/models/models_0.d.ts');
  const text = readFileSync(file, 'utf8');
  const end = text.indexOf('export interface CacheNode {');
  const start = text.lastIndexOf('/**', end);
  if (end < 0 || start < 0) throw new Error(`${file} has no documented CacheNode interface`);
  const doc = text.slice(start, end);
  const current: string[] = [];
  const previous: string[] = [];
  let bucket: string[] | undefined;
  for (const token of doc.matchAll(
    /(Current generation|Previous generation)|<code>(cache\.[a-z0-9]+\.[a-z0-9]+)<\/code>/g,
  )) {
    if (token[1]) bucket = token[1].startsWith('Current') ? current : previous;
    else if (bucket) bucket.push(token[2]);
    else throw new Error(`${token[2]} appears before any generation heading in ${file}`);
  }
  if (current.length === 0) throw new Error(`no current-generation node types found in ${file}`);
  return { current: sorted(current), previous: sorted(previous) };
}
