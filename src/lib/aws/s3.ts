/**
 * General purpose bucket naming rules, taken 2026-11-30 from the S3 User Guide, "General purpose
 * bucket naming rules" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * `--table-s3` is reserved for S3 Tables (listed in "Amazon S3 table bucket, table, and namespace
 * naming rules"); `sthree-configurator` is covered by `sthree-`.
 */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** Length limits of a general purpose bucket name. */
export const S3_BUCKET_NAME_MIN = 3;
export const S3_BUCKET_NAME_MAX = 63;

/**
 * Every S3 naming rule a general purpose bucket name breaks, one sentence each; empty when the
 * name is valid. `ecg..tfstate` and `192.168.1.10` are reported.
 */
export function s3BucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < S3_BUCKET_NAME_MIN || name.length > S3_BUCKET_NAME_MAX) {
    problems.push(
      `must be ${S3_BUCKET_NAME_MIN} to ${S3_BUCKET_NAME_MAX} characters long (it has ${name.length})`,
    );
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push('may contain only lowercase letters, digits, dots (.) and hyphens (-)');
  }
  if (name.length > 0 && !/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(name)) {
    problems.push('must begin and end with a lowercase letter or a digit');
  }
  if (name.includes('..')) problems.push('must not contain two adjacent periods');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    problems.push('must not be formatted as an IP address (like 192.168.5.4)');
  }
  for (const prefix of RESERVED_PREFIXES) {
    if (name.startsWith(prefix)) problems.push(`must not start with the reserved prefix ${prefix}`);
  }
  for (const suffix of RESERVED_SUFFIXES) {
    if (name.endsWith(suffix)) problems.push(`must not end with the reserved suffix ${suffix}`);
  }
  return problems;
}
