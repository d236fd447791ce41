/**
 * `npx tsx scripts/update-aws-tables.ts [--check]`: regenerates the AWS tables under
 * src/lib/aws/data/ from the installed AWS SDK packages (regions, EC2 instance types, WAF country
 * codes, ElastiCache node types). Run it after bumping an @aws-sdk/* devDependency and commit the
 * result; __tests__/aws-tables.test.ts fails while a committed table differs from the SDK. With
 * --check it writes nothing and exits 1 when a table is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as prettier from 'prettier';
import {
  ec2InstanceTypesFromSdk,
  elasticacheNodeTypesFromSdk,
  packageVersion,
  regionsFromSdk,
  wafCountryCodesFromSdk,
} from './aws-tables/sources';

const DATA_DIR = resolve(__dirname, '..', 'src', 'lib', 'aws', 'data');

interface Table {
  readonly file: string;
  readonly source: string;
  readonly pkg: string;
  readonly data: Record<string, unknown>;
}

function tables(): Table[] {
  return [
    {
      file: 'regions.json',
      source: 'AWS SDK endpoint partitions table (partitionsInfo), regions of aws, aws-cn, aws-us-gov',
      pkg: packageVersion('@aws-sdk/core'),
      data: { regions: regionsFromSdk() },
    },
    {
      file: 'ec2-instance-types.json',
      source: 'EC2 API InstanceType enum (_InstanceType)',
      pkg: packageVersion('@aws-sdk/client-ec2'),
      data: { instanceTypes: ec2InstanceTypesFromSdk() },
    },
    {
      file: 'waf-country-codes.json',
      source: 'WAFv2 API CountryCode enum (geo match statement)',
      pkg: packageVersion('@aws-sdk/client-wafv2'),
      data: { countryCodes: wafCountryCodesFromSdk() },
    },
    {
      file: 'elasticache-node-types.json',
      source: 'ElastiCache API reference, CacheNode: supported node types by generation',
      pkg: packageVersion('@aws-sdk/client-elasticache'),
      data: { ...elasticacheNodeTypesFromSdk() },
    },
  ];
}

/** Fields every table carries besides its data: where it comes from and when it was taken. */
const PROVENANCE = ['source', 'package', 'takenOn'];

/** The data part of a committed table (provenance fields aside), or undefined when absent. */
function committedData(path: string): unknown {
  try {
    const table = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(table).filter(([key]) => !PROVENANCE.includes(key)));
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const takenOn = new Date().toISOString().slice(0, 10);
  const stale: string[] = [];
  for (const table of tables()) {
    const path = join(DATA_DIR, table.file);
    if (JSON.stringify(committedData(path)) === JSON.stringify(table.data)) continue;
    stale.push(relative(process.cwd(), path));
    if (check) continue;
    const json = JSON.stringify({ source: table.source, package: table.pkg, takenOn, ...table.data });
    const options = (await prettier.resolveConfig(path)) ?? {};
    writeFileSync(path, await prettier.format(json, { ...options, filepath: path }));
  }
  if (stale.length === 0) {
    console.log('AWS tables are up to date with the installed SDK packages.');
  } else if (check) {
    console.error(`Out of date (run npx tsx scripts/update-aws-tables.ts):\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`Updated:\n  ${stale.join('\n  ')}`);
  }
}

void main();
