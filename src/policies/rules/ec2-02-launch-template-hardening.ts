import { userDataText } from '../hcl';
import type { Rule } from '../types';
import { blocks, isTrue } from '../values';

const CREDENTIALS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'an AWS secret access key', pattern: /aws_secret_access_key\s*[=:]/i },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  // A literal assigned to a variable named like a password, secret or token; `$(...)`, `${...}`,
  // paths and ARNs are lookups or locations, not values.
  {
    what: 'a literal password, secret or token',
    pattern: /\b[A-Za-z_]*(password|passwd|secret|token|api_?key)\s*[=:]\s*['"]?(?![$`/]|arn:)[^\s'"]{8,}/i,
  },
];

export const ec2LaunchTemplateHardening: Rule = {
  id: 'ECG-EC2-02',
  anchor: 43,
  scannerIds: ['CKV_AWS_8', 'AVD-AWS-0131', 'AwsSolutions-EC26', 'CKV_AWS_88', 'CKV_AWS_46'],
  environments: ['staging', 'production'],
  resourceTypes: ['aws_launch_template'],
  description:
    'Every launch template encrypts its EBS volumes, assigns no public IP and keeps credentials out of user_data.',
  checks: {
    'unencrypted-volume': 'a block device is not encrypted, or none is declared',
    'public-ip': 'a network interface associates a public IP',
    'credentials-in-user-data': 'user_data contains something that looks like a credential',
  },
  check(ctx) {
    return ctx.resources('aws_launch_template').flatMap((lt) => {
      const findings = [];
      const volumes = blocks(lt.values.block_device_mappings).filter((m) => blocks(m.ebs).length > 0);
      if (volumes.length === 0) {
        findings.push(
          ctx.finding(
            lt,
            'unencrypted-volume',
            'declares no EBS block device (the root volume would follow the AMI unencrypted)',
          ),
        );
      }
      for (const m of volumes.filter((v) => !blocks(v.ebs).every((e) => isTrue(e.encrypted)))) {
        findings.push(
          ctx.finding(lt, 'unencrypted-volume', `block device ${m.device_name} is not encrypted`),
        );
      }
      if (blocks(lt.values.network_interfaces).some((n) => isTrue(n.associate_public_ip_address))) {
        findings.push(
          ctx.finding(lt, 'public-ip', 'a network interface sets associate_public_ip_address = true'),
        );
      }
      const script = userDataText(lt.values.user_data);
      for (const { what } of CREDENTIALS.filter(({ pattern }) => pattern.test(script))) {
        findings.push(ctx.finding(lt, 'credentials-in-user-data', `user_data contains ${what}`));
      }
      return findings;
    });
  },
};
