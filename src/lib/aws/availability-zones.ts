/**
 * Availability Zone names per region, taken on 2026-12-06 from the AWS documentation "AWS
 * Availability Zones" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html,
 * the AZ IDs of each region) and the zone names EC2 DescribeAvailabilityZones returns for them. The
 * letters are those any account can be given: in the oldest regions AWS maps letters to zones per
 * account, so one account may see fewer of them, never others. A region missing here is checked by
 * shape only (region name and one letter).
 */
export const AVAILABILITY_ZONES_TAKEN_ON = '2026-12-06';

const LETTERS: Readonly<Record<string, string>> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'abc',
  'us-west-2': 'abcd',
  'ca-central-1': 'abd',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'eu-central-1': 'abc',
  'eu-north-1': 'abc',
  'ap-northeast-1': 'abcd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-south-1': 'abc',
  'sa-east-1': 'abc',
};

/** The zone names of `region`, or undefined when the table does not hold the region. */
export function availabilityZonesOf(region: string): readonly string[] | undefined {
  const letters = LETTERS[region];
  return letters === undefined ? undefined : [...letters].map((l) => `${region}${l}`);
}
