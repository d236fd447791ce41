import { CodedeployDeploymentGroup } from '@cdktf/provider-aws/lib/codedeploy-deployment-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { codedeployTestListenerPrivate } from '../../src/policies/rules/cd-01-test-listener-private';
import { findingsOf, fixture, resultOf } from './support';

/**
 * An internet-facing ALB `api` (group `alb`, 80 open to the world), a blue/green deployment group
 * whose production listener is `prod` (80) and test listener `test` (8080), and the ingress rules
 * `testIngress` gives port 8080.
 */
function blueGreen(testIngress: { cidrIpv4?: string; cidrIpv6?: string }[], extraForward = false) {
  return fixture((scope) => {
    const sg = new SecurityGroup(scope, 'alb', { name: 'alb', description: 'ALB', vpcId: 'vpc-1' });
    new VpcSecurityGroupIngressRule(scope, 'web', {
      securityGroupId: sg.id,
      description: 'HTTP',
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIpv4: '0.0.0.0/0',
    });
    testIngress.forEach(
      (peer, i) =>
        new VpcSecurityGroupIngressRule(scope, `test-in-${i}`, {
          securityGroupId: sg.id,
          description: 'test listener',
          ipProtocol: 'tcp',
          fromPort: 8080,
          toPort: 8080,
          ...peer,
        }),
    );
    const lb = new Lb(scope, 'api', {
      name: 'api',
      internal: false,
      securityGroups: [sg.id],
      subnets: ['a', 'b'],
    });
    const blue = new LbTargetGroup(scope, 'blue', {
      name: 'blue',
      port: 8000,
      protocol: 'HTTP',
      vpcId: 'vpc-1',
    });
    const green = new LbTargetGroup(scope, 'green', {
      name: 'green',
      port: 8000,
      protocol: 'HTTP',
      vpcId: 'vpc-1',
    });
    const forward = [{ type: 'forward', targetGroupArn: blue.arn }];
    const prod = new LbListener(scope, 'prod', { loadBalancerArn: lb.arn, port: 80, defaultAction: forward });
    const test = new LbListener(scope, 'test', {
      loadBalancerArn: lb.arn,
      port: 8080,
      defaultAction: forward,
    });
    if (extraForward)
      new LbListener(scope, 'other', { loadBalancerArn: lb.arn, port: 81, defaultAction: forward });
    new CodedeployDeploymentGroup(scope, 'group', {
      appName: 'api',
      deploymentGroupName: 'api',
      serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [prod.arn] },
          testTrafficRoute: { listenerArns: [test.arn] },
          targetGroup: [{ name: blue.name }, { name: green.name }],
        },
      },
    });
  });
}

describe('ECG-CD-01: no test listener is public', () => {
  it('passes a test listener open to the VPC range only, next to a world-open production listener', () => {
    expect(resultOf(codedeployTestListenerPrivate, blueGreen([{ cidrIpv4: '10.0.0.0/16' }]))).toMatchObject({
      status: 'pass',
      findings: [],
    });
  });

  it('fails a test listener that admits 0.0.0.0/0 or ::/0', () => {
    expect(
      findingsOf(codedeployTestListenerPrivate, blueGreen([{ cidrIpv4: '0.0.0.0/0' }, { cidrIpv6: '::/0' }])),
    ).toEqual([
      'ECG-CD-01 aws_lb_listener.test: port 8080 is not the production listener of aws_codedeploy_deployment_group.group, yet aws_vpc_security_group_ingress_rule.test-in-0 admits 0.0.0.0/0 to it',
      'ECG-CD-01 aws_lb_listener.test: port 8080 is not the production listener of aws_codedeploy_deployment_group.group, yet aws_vpc_security_group_ingress_rule.test-in-1 admits ::/0 to it',
    ]);
  });

  it("fails another listener that forwards to the group's target groups when the world reaches it", () => {
    const json = blueGreen([{ cidrIpv4: '10.0.0.0/16' }], true);
    json.resource.aws_vpc_security_group_ingress_rule.web.from_port = 80;
    json.resource.aws_vpc_security_group_ingress_rule.web.to_port = 81;
    expect(findingsOf(codedeployTestListenerPrivate, json)).toEqual([
      'ECG-CD-01 aws_lb_listener.other: port 81 is not the production listener of aws_codedeploy_deployment_group.group, yet aws_vpc_security_group_ingress_rule.web admits 0.0.0.0/0 to it',
    ]);
  });

  it('does not apply to a stack without a deployment group', () => {
    expect(
      resultOf(
        codedeployTestListenerPrivate,
        fixture(() => undefined),
      ).status,
    ).toBe('not-applicable');
  });
});
