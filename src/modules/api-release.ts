import { CodedeployApp } from '@cdktf/provider-aws/lib/codedeploy-app';
import { CodedeployDeploymentConfig } from '@cdktf/provider-aws/lib/codedeploy-deployment-config';
import { CodedeployDeploymentGroup } from '@cdktf/provider-aws/lib/codedeploy-deployment-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { CODEDEPLOY_ECS_MANAGED_POLICY_ARN, ECS_ALL_AT_ONCE } from '../lib/aws/codedeploy';
import { NAME_PREFIX_PATTERN, NAME_PREFIX_RULE } from '../lib/naming';
import { IssueCollector, throwIfIssues } from '../lib/validation';

/** A TimeBasedCanary: `percentage` of the traffic first, the rest `intervalMinutes` later. */
export interface CanaryShift {
  readonly percentage: number;
  readonly intervalMinutes: number;
}

export interface ApiReleaseProps {
  /** `<project>-<env>`; names the application, group, configuration and role. */
  readonly namePrefix: string;
  /** Region and account of the stack: the ARN of a predefined deployment configuration. */
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** The production listener: exactly one (CodeDeploy's prod traffic route takes one ARN). */
  readonly productionListenerArn: string;
  /** The test listener CodeDeploy points at the replacement tasks first. */
  readonly testListenerArn: string;
  /** Names of the blue (the service's) and green target groups. */
  readonly blueTargetGroupName: string;
  readonly greenTargetGroupName: string;
  /**
   * Alarms that stop and roll back a release (by reference: `alarm.alarmName`); CodeDeploy takes
   * at most 10.
   */
  readonly alarmNames: readonly string[];
  /**
   * Traffic shift: a custom TimeBasedCanary, which CodeDeploy runs in exactly two increments.
   * @default all at once (CodeDeployDefault.ECSAllAtOnce)
   */
  readonly canary?: CanaryShift;
  /** Minutes the old tasks stay up after a successful release (instant manual rollback). @default 5 */
  readonly terminationWaitMinutes?: number;
}

/**
 * Blue/green releases of the API through CodeDeploy: the ECS application, the deployment group
 * (production and test listeners, blue and green target groups), automatic rollback on failure and
 * on the API's alarms, the traffic shift, and the service role with AWS's managed policy for ECS.
 */
export class ApiRelease extends Construct {
  public readonly app: CodedeployApp;
  public readonly applicationName: string;
  public readonly applicationArn: string;
  public readonly deploymentGroup: CodedeployDeploymentGroup;
  public readonly deploymentGroupName: string;
  public readonly deploymentGroupArn: string;
  /** The custom canary configuration; undefined when traffic moves all at once. */
  public readonly deploymentConfig?: CodedeployDeploymentConfig;
  public readonly deploymentConfigName: string;
  public readonly deploymentConfigArn: string;
  public readonly serviceRole: IamRole;

  constructor(scope: Construct, id: string, props: ApiReleaseProps) {
    super(scope, id);
    const wait = props.terminationWaitMinutes ?? 5;
    const v = new IssueCollector(this.node.path);
    v.at('namePrefix').matches(props.namePrefix, NAME_PREFIX_PATTERN, NAME_PREFIX_RULE);
    // CodeDeploy API reference, AlarmConfiguration: "You can add up to 10 alarms".
    v.at('alarmNames').check(
      props.alarmNames.length >= 1 && props.alarmNames.length <= 10,
      props.alarmNames,
      'must name 1 to 10 alarms (CodeDeploy takes at most 10)',
    );
    if (props.canary) {
      v.at('canary.percentage').intRange(props.canary.percentage, 1, 99);
      v.at('canary.intervalMinutes').intRange(props.canary.intervalMinutes, 1, 2880);
    }
    // CodeDeploy API reference, BlueInstanceTerminationOption: at most 2880 minutes (2 days).
    v.at('terminationWaitMinutes').intRange(wait, 0, 2880);
    throwIfIssues(v.issues);
    const name = `${props.namePrefix}-api`;

    this.serviceRole = new IamRole(this, 'service-role', {
      name: `${name}-codedeploy`,
      description: 'CodeDeploy: blue/green releases of the API service',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'codedeploy.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    });
    const managed = new IamRolePolicyAttachment(this, 'service-role-managed', {
      role: this.serviceRole.name,
      policyArn: CODEDEPLOY_ECS_MANAGED_POLICY_ARN,
    });

    this.app = new CodedeployApp(this, 'app', { name, computePlatform: 'ECS' });
    this.applicationName = this.app.name;
    this.applicationArn = this.app.arn;

    if (props.canary) {
      const { percentage, intervalMinutes } = props.canary;
      // The numbers are in the name: a deployment configuration cannot be updated in place.
      this.deploymentConfig = new CodedeployDeploymentConfig(this, 'canary', {
        deploymentConfigName: `${name}-canary-${percentage}pct-${intervalMinutes}min`,
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { percentage, interval: intervalMinutes },
        },
        lifecycle: { createBeforeDestroy: true },
      });
      this.deploymentConfigName = this.deploymentConfig.deploymentConfigName;
      this.deploymentConfigArn = this.deploymentConfig.arn;
    } else {
      this.deploymentConfigName = ECS_ALL_AT_ONCE;
      this.deploymentConfigArn = `arn:aws:codedeploy:${props.region}:${props.accountId}:deploymentconfig:${ECS_ALL_AT_ONCE}`;
    }

    this.deploymentGroup = new CodedeployDeploymentGroup(this, 'group', {
      appName: this.app.name,
      deploymentGroupName: name,
      serviceRoleArn: this.serviceRole.arn,
      deploymentConfigName: this.deploymentConfigName,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: wait,
        },
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
      alarmConfiguration: { enabled: true, alarms: [...props.alarmNames] },
      ecsService: { clusterName: props.clusterName, serviceName: props.serviceName },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [props.productionListenerArn] },
          testTrafficRoute: { listenerArns: [props.testListenerArn] },
          targetGroup: [{ name: props.blueTargetGroupName }, { name: props.greenTargetGroupName }],
        },
      },
      // CodeDeploy checks its role when the group is created.
      dependsOn: [managed],
    });
    this.deploymentGroupName = this.deploymentGroup.deploymentGroupName;
    this.deploymentGroupArn = this.deploymentGroup.arn;
  }
}
