import { DbInstanceAutomatedBackupsReplication } from '@cdktf/provider-aws/lib/db-instance-automated-backups-replication';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { REGION_PATTERN } from '../lib/aws/regions';
import { kmsAccountAdministrationStatement } from '../lib/aws/iam';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

export interface RdsBackupReplicationProps {
  /** `<project>-<env>`; names the key's alias. */
  readonly namePrefix: string;
  /** ARN of the source DB instance (in the stack's region). */
  readonly sourceDbInstanceArn: string;
  /** Account of the instance; the key policy delegates to its IAM policies. */
  readonly accountId: string;
  /** Provider of the destination region: the replication resource lives there (provider docs). */
  readonly destinationProvider: TerraformProvider;
  /** Region of `destinationProvider`. */
  readonly destinationRegion: string;
  /** Days the replicated backups are kept, 1 to 35. @default 7 */
  readonly retentionDays?: number;
}

/**
 * Automated backups (snapshots and transaction logs) of an RDS instance replicated to a second
 * region, for point-in-time restore there (RDS user guide, "Replicating automated backups to
 * another AWS Region"; every current RDS for PostgreSQL version supports it). The source is
 * encrypted, so the copies need a KMS key in the destination region: this construct creates one,
 * with yearly rotation and a policy that leaves use of the key to the account's IAM policies.
 */
export class RdsBackupReplication extends Construct {
  public readonly key: KmsKey;
  public readonly keyArn: string;
  public readonly replication: DbInstanceAutomatedBackupsReplication;

  constructor(scope: Construct, id: string, props: RdsBackupReplicationProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 7;
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(props.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    v.at('destinationRegion').matches(
      props.destinationRegion,
      REGION_PATTERN,
      'must be an AWS region like us-west-2',
    );
    v.at('retentionDays').intRange(retentionDays, 1, 35);
    if (!Token.isUnresolved(props.accountId)) {
      v.at('accountId').matches(props.accountId, /^\d{12}$/, 'must be a 12-digit AWS account id');
    }
    throwIfIssues(v.issues);

    this.key = new KmsKey(this, 'key', {
      provider: props.destinationProvider,
      description: `${props.namePrefix} RDS automated backups replicated to ${props.destinationRegion}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [kmsAccountAdministrationStatement(props.accountId)],
      }),
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, 'key-alias', {
      provider: props.destinationProvider,
      name: `alias/${props.namePrefix}-rds-backups`,
      targetKeyId: this.key.keyId,
    });

    this.replication = new DbInstanceAutomatedBackupsReplication(this, 'replication', {
      provider: props.destinationProvider,
      sourceDbInstanceArn: props.sourceDbInstanceArn,
      kmsKeyId: this.key.arn,
      retentionPeriod: retentionDays,
    });
  }
}
