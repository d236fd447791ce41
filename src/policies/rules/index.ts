import type { Rule } from '../types';
import { cacheAtRestEncryption } from './cache-01-at-rest-encryption';
import { cacheTransitEncryptionAuth } from './cache-02-transit-encryption-auth';
import { cacheFailover } from './cache-03-failover';
import { cacheSnapshots } from './cache-04-snapshots';
import { cacheDefaultPort } from './cache-05-default-port';
import { cloudFrontHttpsOnly } from './cf-01-https-only';
import { cloudFrontViewerTls } from './cf-02-viewer-tls';
import { cloudFrontWaf } from './cf-03-waf';
import { cloudFrontLoggingOac } from './cf-04-logging-oac';
import { dynamodbPitrEncryption } from './ddb-01-pitr-encryption';
import { ec2Imdsv2 } from './ec2-01-imdsv2';
import { ec2LaunchTemplateHardening } from './ec2-02-launch-template-hardening';
import { ec2MonitoringProfile } from './ec2-03-monitoring-profile';
import { ecrScanOnPush } from './ecr-01-scan-on-push';
import { ecrImmutableTags } from './ecr-02-immutable-tags';
import { ecsContainerInsights } from './ecs-01-container-insights';
import { ecsNoPublicIp } from './ecs-02-no-public-ip';
import { ecsNotPrivileged } from './ecs-03-not-privileged';
import { ecsReadOnlyRoot } from './ecs-04-read-only-root';
import { ecsRolesSecretsLogs } from './ecs-05-roles-secrets-logs';
import { ecsAwsvpc } from './ecs-06-awsvpc';
import { iamLeastPrivilege } from './iam-01-least-privilege';
import { lbDropInvalidHeaders } from './lb-01-drop-invalid-headers';
import { lbDeletionProtection } from './lb-02-deletion-protection';
import { lbAccessLogs } from './lb-03-access-logs';
import { lbHttpsRedirect } from './lb-04-https-redirect';
import { lbTlsPolicy } from './lb-05-tls-policy';
import { lambdaNoPublicAccess } from './lambda-01-no-public-access';
import { lambdaFunctionHardening } from './lambda-02-function-hardening';
import { lbInternal } from './lb-06-internal';
import { codedeployTestListenerPrivate } from './cd-01-test-listener-private';
import { logRetention } from './log-01-retention';
import { rdsStorageEncrypted } from './rds-01-storage-encrypted';
import { rdsNotPublic } from './rds-02-not-public';
import { rdsBackupRetention } from './rds-03-backup-retention';
import { rdsMultiAz } from './rds-04-multi-az';
import { rdsDeletionProtection } from './rds-05-deletion-protection';
import { rdsIamAuth } from './rds-06-iam-auth';
import { rdsPerformanceInsights } from './rds-07-performance-insights';
import { rdsMinorUpgrades } from './rds-08-minor-upgrades';
import { rdsCopyTags } from './rds-09-copy-tags';
import { rdsForceSsl } from './rds-10-force-ssl';
import { rdsLoggingMonitoring } from './rds-11-logging-monitoring';
import { rdsDefaultPort } from './rds-12-default-port';
import { s3PublicAccessBlock } from './s3-01-public-access-block';
import { s3Versioning } from './s3-02-versioning';
import { s3Encryption } from './s3-03-encryption';
import { s3AccessLogging } from './s3-04-access-logging';
import { s3TlsOnly } from './s3-05-tls-only';
import { s3Ownership } from './s3-06-ownership';
import { s3NoPublicPrincipal } from './s3-07-no-public-principal';
import { s3Lifecycle } from './s3-08-lifecycle';
import { sgIngressDescriptions } from './sg-01-ingress-descriptions';
import { sgEgress } from './sg-02-egress';
import { tracesShipped } from './trace-01-traces-shipped';
import { secretsRotation } from './sm-01-rotation';
import { vpcFlowLogsDefaultSgSubnets } from './vpc-01-flow-logs-default-sg-subnets';

/**
 * Every rule of the pack: the scanner-anchor rows in order, then the checks behind its documented
 * exceptions, then the project's own rules for resource types the anchors do not cover.
 */
export const RULES: readonly Rule[] = [
  s3PublicAccessBlock,
  s3Versioning,
  s3Encryption,
  s3AccessLogging,
  s3TlsOnly,
  s3Ownership,
  s3NoPublicPrincipal,
  s3Lifecycle,
  rdsStorageEncrypted,
  rdsNotPublic,
  rdsBackupRetention,
  rdsMultiAz,
  rdsDeletionProtection,
  rdsIamAuth,
  rdsPerformanceInsights,
  rdsMinorUpgrades,
  rdsCopyTags,
  rdsForceSsl,
  rdsLoggingMonitoring,
  cacheAtRestEncryption,
  cacheTransitEncryptionAuth,
  cacheFailover,
  cacheSnapshots,
  ecrScanOnPush,
  ecrImmutableTags,
  ecsContainerInsights,
  ecsNoPublicIp,
  ecsNotPrivileged,
  ecsReadOnlyRoot,
  ecsRolesSecretsLogs,
  ecsAwsvpc,
  lbDropInvalidHeaders,
  lbDeletionProtection,
  lbAccessLogs,
  lbHttpsRedirect,
  lbTlsPolicy,
  cloudFrontHttpsOnly,
  cloudFrontViewerTls,
  cloudFrontWaf,
  cloudFrontLoggingOac,
  ec2Imdsv2,
  ec2LaunchTemplateHardening,
  ec2MonitoringProfile,
  sgIngressDescriptions,
  vpcFlowLogsDefaultSgSubnets,
  iamLeastPrivilege,
  logRetention,
  dynamodbPitrEncryption,
  secretsRotation,
  cacheDefaultPort,
  lbInternal,
  rdsDefaultPort,
  sgEgress,
  lambdaNoPublicAccess,
  lambdaFunctionHardening,
  codedeployTestListenerPrivate,
  tracesShipped,
];
