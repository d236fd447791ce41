import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { NAME_LIMITS } from '../lib/aws/names';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { SFN_LOG_DELIVERY_ACTIONS } from '../lib/aws/iam';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';

/** The Step Functions tasks: AWS SDK integrations of ECS DescribeServices and CodeDeploy CreateDeployment. */
export const DESCRIBE_SERVICES_RESOURCE = 'arn:aws:states:::aws-sdk:ecs:describeServices';
export const CREATE_DEPLOYMENT_RESOURCE = 'arn:aws:states:::aws-sdk:codedeploy:createDeployment';

export { SFN_LOG_DELIVERY_ACTIONS };

/** Secrets Manager's native event when a staging label moves to a new version of a secret. */
export const SECRET_LABEL_UPDATED = 'Secret Label Updated';

export interface RedeployOnSecretChangeProps {
  /** `<project>-<env>`; names the state machine, rules, roles and log group. */
  readonly namePrefix: string;
  /**
   * Cluster of the service, as DescribeServices takes it: prefer the ARN. Until the cluster exists it
   * is unknown, so the provider defers its definition check (a ValidateStateMachineDefinition call)
   * to apply, and offline plans stay offline.
   */
  readonly cluster: string;
  /** Service to redeploy (name, as DescribeServices takes it). */
  readonly serviceName: string;
  /** ARN of the service: the only service the state machine may describe. */
  readonly serviceArn: string;
  /** CodeDeploy application and deployment group of the service (it uses the CODE_DEPLOY controller). */
  readonly codedeployApplication: string;
  readonly codedeployDeploymentGroup: string;
  /** ARNs the state machine's CreateDeployment needs: the group, its configuration and the application. */
  readonly deploymentGroupArn: string;
  readonly deploymentConfigArn: string;
  readonly applicationArn: string;
  /** The AppSpec's LoadBalancerInfo: the container and port behind the target groups. */
  readonly containerName: string;
  readonly containerPort: number;
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
 * maintain: EventBridge rules on the secrets' label events start a Step Functions state machine
 * that reads the task definition of the service's PRIMARY task set (ECS DescribeServices) and
 * releases that same revision again as a CodeDeploy blue/green deployment (a CODE_DEPLOY service
 * takes no forceNewDeployment rollout: new tasks come from a deployment, under the group's
 * alarms and rollback). Least privilege: EventBridge may start only this state machine, the state
 * machine may describe only this service and deploy only to this deployment group.
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
    // The longest of the rule names is <prefix>-redeploy-api-on-rotation.
    const longest = `${props.namePrefix}-redeploy-api-on-rotation`;
    v.at('namePrefix').check(
      longest.length <= NAME_LIMITS.eventbridgeRule,
      props.namePrefix,
      `makes the rule name ${longest} longer than ${NAME_LIMITS.eventbridgeRule} characters (EventBridge)`,
    );
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
      description: `Step Functions: release the running revision of ${props.serviceName} again`,
      assumeRolePolicy: assumedBy('states.amazonaws.com'),
    });
    // CreateDeployment needs the deployment group, a read of its deployment configuration and the
    // revision's registration in the application (CodeDeploy permissions reference). No
    // iam:PassRole: the group's service role was passed when the group was created.
    const machinePolicy = new IamRolePolicy(this, 'state-machine-policy', {
      name: 'redeploy-through-codedeploy',
      role: this.stateMachineRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DescribeThisService',
            Effect: 'Allow',
            Action: 'ecs:DescribeServices',
            Resource: props.serviceArn,
          },
          {
            Sid: 'DeployToThisGroup',
            Effect: 'Allow',
            Action: 'codedeploy:CreateDeployment',
            Resource: props.deploymentGroupArn,
          },
          {
            Sid: 'ReadTheGroupsConfig',
            Effect: 'Allow',
            Action: 'codedeploy:GetDeploymentConfig',
            Resource: props.deploymentConfigArn,
          },
          {
            Sid: 'RegisterTheRevision',
            Effect: 'Allow',
            Action: 'codedeploy:RegisterApplicationRevision',
            Resource: props.applicationArn,
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
        Comment: `Release the running revision of ${props.serviceName} again so its tasks read the new secret values`,
        StartAt: 'ReadService',
        States: {
          ReadService: {
            Type: 'Task',
            Resource: DESCRIBE_SERVICES_RESOURCE,
            Parameters: { Cluster: props.cluster, Services: [props.serviceName] },
            // The PRIMARY task set serves production traffic; its revision is what runs.
            ResultSelector: { 'taskDefinitions.$': PRIMARY_TASK_DEFINITIONS },
            ResultPath: '$.service',
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2 }],
            Next: 'CreateDeployment',
          },
          CreateDeployment: {
            Type: 'Task',
            Resource: CREATE_DEPLOYMENT_RESOURCE,
            Parameters: {
              ApplicationName: props.codedeployApplication,
              DeploymentGroupName: props.codedeployDeploymentGroup,
              Description: 'Secret changed: the running revision, released again',
              Revision: {
                RevisionType: 'AppSpecContent',
                AppSpecContent: { 'Content.$': appSpecContent(props.containerName, props.containerPort) },
              },
            },
            Retry: [
              {
                ErrorEquals: ['CodeDeploy.ThrottlingException'],
                IntervalSeconds: 10,
                MaxAttempts: 4,
                BackoffRate: 2,
              },
            ],
            // A release in progress (one deployment per group at a time): wait for it to end, then
            // read the service again, so the new revision it leaves running is the one restarted.
            Catch: [
              {
                ErrorEquals: ['CodeDeploy.DeploymentLimitExceededException'],
                ResultPath: '$.error',
                Next: 'WaitForRelease',
              },
            ],
            End: true,
          },
          WaitForRelease: { Type: 'Wait', Seconds: 60, Next: 'ReadService' },
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

/** JSONPath of the PRIMARY task set's task definition (a one-element list) in DescribeServices' result. */
const PRIMARY_TASK_DEFINITIONS = "$.Services[0].TaskSets[?(@.Status == 'PRIMARY')].TaskDefinition";

/**
 * The AppSpec (CodeDeploy user guide, "AppSpec 'resources' section for Amazon ECS deployments")
 * naming the PRIMARY revision, as a States.Format call. Literal braces inside an intrinsic
 * function's string are escaped with a backslash (Step Functions developer guide, "Intrinsic
 * functions"); `{}` is the one placeholder.
 */
function appSpecContent(containerName: string, containerPort: number): string {
  const lb = `\\{"ContainerName":"${containerName}","ContainerPort":${containerPort}\\}`;
  const properties = `\\{"TaskDefinition":"{}","LoadBalancerInfo":${lb}\\}`;
  const target = `\\{"TargetService":\\{"Type":"AWS::ECS::Service","Properties":${properties}\\}\\}`;
  const template = `\\{"version":0.0,"Resources":[${target}]\\}`;
  return `States.Format('${template}', States.ArrayGetItem($.service.taskDefinitions, 0))`;
}

function assumedBy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
