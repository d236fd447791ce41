import { suggestion } from '../suggest';
import { EC2_INSTANCE_TYPES, instanceFamily } from './ec2';

/**
 * DB instance class types RDS for PostgreSQL runs, mapped to the EC2 family whose sizes they
 * offer. Taken 2026-11-30 from the RDS User Guide, "DB instance class types" and "Supported DB
 * engines for DB instance classes" (PostgreSQL 15 column). db.x2g is the RDS name of the x2gd
 * hardware. Not listed, because RDS for PostgreSQL 15 does not run them: db.t2, db.m4, db.r4 (no
 * PostgreSQL 13+), db.z1d and the db.r5 `.tpcN.memNx` classes (Oracle only), db.c6gd (Multi-AZ DB
 * clusters only).
 */
const POSTGRES_FAMILIES: Readonly<Record<string, string>> = {
  t3: 't3',
  t4g: 't4g',
  m5: 'm5',
  m5d: 'm5d',
  m6g: 'm6g',
  m6gd: 'm6gd',
  m6i: 'm6i',
  m6id: 'm6id',
  m6idn: 'm6idn',
  m6in: 'm6in',
  m7g: 'm7g',
  m7i: 'm7i',
  m8g: 'm8g',
  r5: 'r5',
  r5b: 'r5b',
  r5d: 'r5d',
  r6g: 'r6g',
  r6gd: 'r6gd',
  r6i: 'r6i',
  r6id: 'r6id',
  r6idn: 'r6idn',
  r6in: 'r6in',
  r7g: 'r7g',
  r7i: 'r7i',
  r8g: 'r8g',
  x2g: 'x2gd',
  x2idn: 'x2idn',
  x2iedn: 'x2iedn',
};

/** Burstable classes start at micro (no nano); the others start at large (no medium) and have no metal. */
function rdsOffersSize(family: string, size: string): boolean {
  if (size.startsWith('metal')) return false;
  return family.startsWith('t') ? size !== 'nano' : size !== 'medium';
}

/**
 * Instance classes RDS for PostgreSQL 15 accepts (`db.t4g.micro`): each family above with the
 * sizes EC2 has for its hardware (so a size EC2 does not have, `db.t4g.huge`, is not a class).
 * Regional availability is not checked here.
 */
export const RDS_POSTGRES_INSTANCE_CLASSES: readonly string[] = Object.entries(POSTGRES_FAMILIES)
  .flatMap(([rdsFamily, ec2Family]) =>
    EC2_INSTANCE_TYPES.filter((type) => instanceFamily(type) === ec2Family)
      .map((type) => type.slice(ec2Family.length + 1))
      .filter((size) => rdsOffersSize(rdsFamily, size))
      .map((size) => `db.${rdsFamily}.${size}`),
  )
  .sort();

const CLASSES: ReadonlySet<string> = new Set(RDS_POSTGRES_INSTANCE_CLASSES);

/** True for an RDS for PostgreSQL instance class (`db.t4g.micro`), false otherwise (`db.t4g.huge`). */
export function isRdsPostgresInstanceClass(instanceClass: string): boolean {
  return CLASSES.has(instanceClass);
}

/**
 * Minor versions RDS for PostgreSQL offers for new instances, per major. Taken 2026-11-30 from the
 * RDS for PostgreSQL Release Notes ("Amazon RDS for PostgreSQL updates", release calendar) and
 * AWS's notice that 15.9-15.12 reached end of standard support on 2026-05-31 (upgrade target 15.15
 * or higher). A minor AWS released after that date is missing until someone adds it here.
 */
export const RDS_POSTGRES_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '15': ['15.13', '15.14', '15.15'],
};

/**
 * True for an engine version RDS for PostgreSQL accepts: a major alone (`15`, RDS then picks the
 * default minor) or a listed `major.minor` (`15.15`); false for `15.99` or `14`.
 */
export function isRdsPostgresVersion(version: string): boolean {
  const [major, minor, ...rest] = version.split('.');
  const minors = Object.hasOwn(RDS_POSTGRES_VERSIONS, major) ? RDS_POSTGRES_VERSIONS[major] : undefined;
  if (!minors || rest.length > 0) return false;
  return minor === undefined || minors.includes(version);
}

/** Why RDS for PostgreSQL would refuse `version`, or undefined when it takes it. */
export function rdsPostgresVersionProblem(version: string): string | undefined {
  if (isRdsPostgresVersion(version)) return undefined;
  const offered = Object.entries(RDS_POSTGRES_VERSIONS)
    .map(([major, minors]) => `${major} (the default minor) or ${minors.join(', ')}`)
    .join('; ');
  return `is not a PostgreSQL version RDS offers: ${offered}`;
}

/** Why RDS for PostgreSQL would refuse `instanceClass`, or undefined when it offers it. */
export function rdsPostgresInstanceClassProblem(instanceClass: string): string | undefined {
  if (isRdsPostgresInstanceClass(instanceClass)) return undefined;
  return `is not an instance class RDS for PostgreSQL offers${suggestion(instanceClass, RDS_POSTGRES_INSTANCE_CLASSES)}`;
}

/** The largest gp3 storage of an RDS instance, in GB (also the autoscaling limit's ceiling). */
export const RDS_MAX_STORAGE_GB = 65536;

/**
 * Why RDS would refuse `max` as the storage autoscaling limit of `allocated` GB, or undefined:
 * equal to the allocation turns autoscaling off; otherwise the limit is at least 10 % above it
 * (RDS User Guide, storage autoscaling) and at most the largest storage.
 */
export function rdsStorageAutoscalingProblem(allocated: number, max: number): string | undefined {
  const fits =
    Number.isInteger(max) &&
    max <= RDS_MAX_STORAGE_GB &&
    (max === allocated || max >= Math.ceil(allocated * 1.1));
  return fits
    ? undefined
    : `must equal allocatedStorageGb (${allocated}, autoscaling off) or be at least 10% more, up to ${RDS_MAX_STORAGE_GB}`;
}

/** Five times the allocation, capped; autoscaling off where no limit 10 % above it fits. */
export function rdsDefaultAutoscalingLimit(allocated: number): number {
  const limit = Math.min(allocated * 5, RDS_MAX_STORAGE_GB);
  return rdsStorageAutoscalingProblem(allocated, limit) === undefined ? limit : allocated;
}
