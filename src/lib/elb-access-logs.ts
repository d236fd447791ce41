import type { PolicyStatement } from './secure-bucket';

/**
 * ELB log-delivery accounts of the regions opened before August 2022 (ELB user guide, "Enable
 * access logs"); newer regions deliver as the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal. A constant, so plans need no AWS lookup.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-south-1': '718504428378',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eu-south-1': '635631232127',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/**
 * The bucket-policy statement that lets Elastic Load Balancing deliver access logs into
 * `bucketArn` under `prefix`: the region's ELB account where one exists, else the log delivery
 * service principal (regions opened after August 2022).
 */
export function elbAccessLogsStatement(
  sid: string,
  region: string,
  bucketArn: string,
  prefix: string,
): PolicyStatement {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: account
      ? { AWS: `arn:aws:iam::${account}:root` }
      : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${bucketArn}/${prefix}/AWSLogs/*`,
  };
}
