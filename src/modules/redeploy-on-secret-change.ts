import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { SFN_LOG_DELIVERY_ACTIONS } from '../lib/aws/iam';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

/** The Step Functions task: the AWS SDK integration of ECS UpdateService. */
export const UPDATE_SERVICE_RESOURCE = 'arn:aws:states:::aws-sdk:ecs:updateService';

export { SFN_LOG_DELIVERY_ACTIONS };

/** Secrets Manager's native event when a staging label moves to a new version of a secret. */
export const SECRET_LABEL_UPDATED = 'Secret Label Updated';

export interface RedeployOnSecretChangeProps {
  /** `<project>-<env>`; names the state machine, rules, roles and log group. */
  readonly namePrefix: string;
  /**
   * Cluster of the service, as UpdateService takes it: prefer the ARN. Until the cluster exists it
   * is unknown, so the provider defers its definition check (a ValidateStateMachineDefinition call)
   * to apply, and offline plans stay offline.
   */
  readonly cluster: string;
  /** Service to redeploy (name, as UpdateService takes it). */
  readonly serviceName: string;
  /** ARN of the service: the only resource the state machine may update. */
  readonly serviceArn: string;
  /**
   * Secrets whose rotation redeploys the service (the RDS-managed master secret). Matched, like
   * `updatedSecretArns`, on Secrets Manager's own `Secret Label Updated` event, which it sends to
   * the default bus when AWSCURRENT moves to a new version, with no CloudTrail trail needed.
   */
  readonly rotatedSecretArns: readonly string[];
  /**
   * Secrets whose new value written by Terraform (PutSecretValue after `terraform apply -replace`
   * of the generated value, which moves AWSCURRENT to the new version) redeploys the service.
   * @default []
   */
  readonly updatedSecretArns?: readonly string[];
  /** Retention of the state machine's log group. @default 30 */
  readonly logRetentionDays?: number;
}

/**
 * Restarts an ECS service's tasks when a secret they read at start changes, with no code to
 * maintain: EventBridge rules on the secrets' label events start a Step Functions state machine whose one
 * task calls ECS UpdateService with forceNewDeployment (a rolling replacement under the service's
 * deployment settings, so the API stays up). Least privilege: EventBridge may start only this
 * state machine, the state machine may update only this service.
 */
export class RedeployOnSecretChange extends Construct {
  public readonly stateMachine: SfnStateMachine;
  public readonly stateMachineArn: string;
  public readonly stateMachineRole: IamRole;
  public readonly eventsRole: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** The rule on managed rotation. */
  public readonly rotationRule: CloudwatchEventRule;
  /** The rule on values written through the API; undefined without `updatedSecretArns`. */
  public readonly updateRule?: CloudwatchEventRule;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: RedeployOnSecretChangeProps) {
    super(scope, id);
    const updated = props.updatedSecretArns ?? [];
    const retention = props.logRetentionDays ?? 30;
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(props.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    v.at('rotatedSecretArns').check(
      props.rotatedSecretArns.length > 0,
      props.rotatedSecretArns,
      'must list at least one secret',
    );
    v.at('logRetentionDays').check(
      (LOG_RETENTION_DAYS as readonly number[]).includes(retention),
      retention,
      `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
    );
    throwIfIssues(v.issues);
    const name = `${props.namePrefix}-redeploy-api`;
    this.name = name;

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/vendedlogs/states/${name}`,
      retentionInDays: retention,
    });

    this.stateMachineRole = new IamRole(this, 'state-machine-role', {
      name: `${name}-sfn`,
      description: `Step Functions: force a new deployment of ${props.serviceName}`,
      assumeRolePolicy: assumedBy('states.amazonaws.com'),
    });
    const machinePolicy = new IamRolePolicy(this, 'state-machine-policy', {
      name: 'update-service',
      role: this.stateMachineRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'UpdateThisService',
            Effect: 'Allow',
            Action: 'ecs:UpdateService',
            Resource: props.serviceArn,
          },
          { Sid: 'LogDelivery', Effect: 'Allow', Action: [...SFN_LOG_DELIVERY_ACTIONS], Resource: '*' },
        ],
      }),
    });

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: this.stateMachineRole.arn,
      definition: JSON.stringify({
        Comment: `Rolling restart of ${props.serviceName} so its tasks read the new secret values`,
        StartAt: 'ForceNewDeployment',
        States: {
          ForceNewDeployment: {
            Type: 'Task',
            Resource: UPDATE_SERVICE_RESOURCE,
            Parameters: { Cluster: props.cluster, Service: props.serviceName, ForceNewDeployment: true },
            // A deployment already in progress or throttling: try again, then fail loudly.
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 4, BackoffRate: 2 }],
            End: true,
          },
        },
      }),
      loggingConfiguration: {
        logDestination: `${this.logGroup.arn}:*`,
        includeExecutionData: true,
        level: 'ALL',
      },
      // The role must hold its permissions before Step Functions checks the log destination.
      dependsOn: [machinePolicy],
    });
    this.stateMachineArn = this.stateMachine.arn;

    this.eventsRole = new IamRole(this, 'events-role', {
      name: `${name}-events`,
      description: 'EventBridge: start the redeploy state machine',
      assumeRolePolicy: assumedBy('events.amazonaws.com'),
    });
    new IamRolePolicy(this, 'events-policy', {
      name: 'start-redeploy',
      role: this.eventsRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'StartThisMachine',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: this.stateMachineArn,
          },
        ],
      }),
    });

    this.rotationRule = this.rule(
      'rotation',
      'the rotation of a secret the API reads made a new value current',
      [...props.rotatedSecretArns],
    );
    if (updated.length > 0) {
      this.updateRule = this.rule('update', 'a new value was written to a generated secret the API reads', [
        ...updated,
      ]);
    }
  }

  /**
   * One rule on `Secret Label Updated` events (Secrets Manager user guide, "Secret event
   * notifications") whose `resources` hold one of the secrets' ARNs and whose label is AWSCURRENT:
   * the event is sent for every new current value, by rotation or by PutSecretValue, names the
   * secret by its full ARN whatever the caller passed, and needs no CloudTrail trail. The
   * CloudTrail-delivered RotationSucceeded / PutSecretValue records it replaces reach EventBridge
   * only through a trail, which these stacks do not create.
   */
  private rule(id: string, why: string, secretArns: string[]): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, `${id}-rule`, {
      name: `${this.name}-on-${id}`,
      description: `Redeploy the API: ${why}`,
      eventPattern: JSON.stringify({
        source: ['aws.secretsmanager'],
        'detail-type': [SECRET_LABEL_UPDATED],
        resources: secretArns,
        detail: { labelUpdated: ['AWSCURRENT'] },
      }),
    });
    new CloudwatchEventTarget(this, `${id}-target`, {
      rule: rule.name,
      arn: this.stateMachineArn,
      roleArn: this.eventsRole.arn,
    });
    return rule;
  }
}

function assumedBy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
