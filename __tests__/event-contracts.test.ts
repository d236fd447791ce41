import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dependsOnCloudTrail, hasManagementTrail, matchesPattern } from './support/event-pattern';
import { synthStack } from './support/app';
import { type Json, resourcesOf } from './support/synth';

/**
 * Event contracts: every EventBridge rule of both platform stacks is run against the sample event
 * AWS documents for its source (fixtures under __tests__/fixtures/events, each naming its page),
 * with the stack's own identifiers put in, and against near misses that must not match. A rule on
 * events that AWS delivers through CloudTrail fails unless the stack brings a trail.
 */

const FIXTURES = join(__dirname, 'fixtures', 'events');
const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-2';
/** A secret ARN as Secrets Manager forms it: the name plus a hyphen and six random characters. */
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
const RDS_SECRET_NAME = 'rds!db-0a1b2c3d-4e5f-6789-abcd-ef0123456789';

function fixture(file: string): Json {
  const { _source, ...event } = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Json;
  expect(_source, `${file} names the AWS page it came from`).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  return event;
}

/** The values Terraform puts in place of the references a rule's pattern holds, for one stack. */
function referencesOf(stack: Json): Map<string, string> {
  const refs = new Map<string, string>();
  for (const [id, group] of Object.entries(resourcesOf(stack, 'aws_autoscaling_group'))) {
    refs.set(`\${aws_autoscaling_group.${id}.name}`, String(group.name));
  }
  for (const [id, secret] of Object.entries(resourcesOf(stack, 'aws_secretsmanager_secret'))) {
    refs.set(`\${aws_secretsmanager_secret.${id}.arn}`, secretArn(String(secret.name)));
  }
  for (const id of Object.keys(resourcesOf(stack, 'aws_db_instance'))) {
    refs.set(`\${aws_db_instance.${id}.master_user_secret[0].secret_arn}`, secretArn(RDS_SECRET_NAME));
  }
  return refs;
}

/** A rule's pattern as EventBridge receives it: every reference replaced, or the test fails. */
function patternOf(rule: Json, refs: Map<string, string>): Json {
  let text = String(rule.event_pattern);
  for (const [ref, value] of refs) text = text.split(ref).join(value);
  expect(text, `${String(rule.name)}: every reference in the pattern is known to the test`).not.toContain(
    '${',
  );
  return JSON.parse(text) as Json;
}

const clone = (event: Json): Json => structuredClone(event);
const withFields = (event: Json, fields: Json, detail: Json = {}): Json => {
  const out = clone(event);
  Object.assign(out, fields);
  out.detail = { ...out.detail, ...detail };
  return out;
};

interface Contract {
  /** The documented sample, with the stack's identifiers. */
  readonly matches: Record<string, Json>;
  readonly misses: Record<string, Json>;
}

/** The sample "Secret Label Updated" event for one secret, as the user guide shows it. */
function labelEvent(arn: string, name: string, label = 'AWSCURRENT'): Json {
  return withFields(
    fixture('secretsmanager-secret-label-updated.json'),
    { resources: [arn] },
    {
      name,
      labelUpdated: label,
    },
  );
}

function secretContract(env: string, watched: string[], other: string): Contract {
  const prefix = `ecg-video-pipeline-${env}`;
  const matches: Record<string, Json> = {};
  for (const name of watched) {
    matches[`new current value of ${name}`] = labelEvent(secretArn(name), name);
  }
  const first = watched[0];
  return {
    matches,
    misses: {
      [`new current value of ${other}`]: labelEvent(secretArn(other), other),
      'another secret of the account': labelEvent(secretArn(`${prefix}/unrelated`), `${prefix}/unrelated`),
      'the ARN without its random suffix': labelEvent(
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${first}`,
        first,
      ),
      'the secret name where the ARN belongs': labelEvent(first, first),
      'a custom staging label moved': labelEvent(secretArn(first), first, 'MYLABEL'),
      'the CloudTrail record of the same write (only a trail delivers it)': withFields(
        labelEvent(secretArn(first), first),
        { 'detail-type': 'AWS API Call via CloudTrail' },
        { eventSource: 'secretsmanager.amazonaws.com', eventName: 'PutSecretValue' },
      ),
      'the same event from another source': withFields(labelEvent(secretArn(first), first), {
        source: 'aws.ssm',
      }),
    },
  };
}

function launchContract(env: string): Contract {
  const sample = fixture('autoscaling-instance-launch-unsuccessful.json');
  const group = (role: string) => `ecg-video-pipeline-${env}-${role}`;
  const failed = (name: string) => withFields(sample, {}, { AutoScalingGroupName: name });
  return {
    matches: {
      'a failed launch of the model servers': failed(group('model-server')),
      'a failed launch of the render workers': failed(group('render-worker')),
    },
    misses: {
      'a failed launch of another group': failed('my-asg'),
      'a group whose name only starts the same': failed(`${group('render-worker')}-old`),
      'a successful launch': withFields(failed(group('render-worker')), {
        'detail-type': 'EC2 Instance Launch Successful',
      }),
      'a failed termination': withFields(failed(group('render-worker')), {
        'detail-type': 'EC2 Instance Terminate Unsuccessful',
      }),
      'the same event from another source': withFields(failed(group('render-worker')), { source: 'aws.ec2' }),
    },
  };
}

function contractsOf(env: string): Record<string, Contract> {
  const prefix = `ecg-video-pipeline-${env}`;
  const redisUrl = `${prefix}/redis/url`;
  const secretKey = `${prefix}-api-secret-key`;
  return {
    [`${prefix}-redeploy-api-on-rotation`]: secretContract(env, [RDS_SECRET_NAME], redisUrl),
    [`${prefix}-redeploy-api-on-update`]: secretContract(env, [redisUrl, secretKey], RDS_SECRET_NAME),
    [`${prefix}-gpu-launch-unsuccessful`]: launchContract(env),
  };
}

describe.each(['staging', 'production'] as const)('event contracts of the %s stack', (env) => {
  const stack = synthStack(env);
  const rules = Object.values(resourcesOf(stack, 'aws_cloudwatch_event_rule'));
  const refs = referencesOf(stack);
  const contracts = contractsOf(env);

  it('has a contract for every EventBridge rule, and every rule is a pattern rule (schedules use EventBridge Scheduler)', () => {
    expect(rules.map((r) => r.name).sort()).toEqual(Object.keys(contracts).sort());
    for (const rule of rules) {
      expect(rule.schedule_expression).toBeUndefined();
      expect(rule.event_bus_name ?? 'default').toBe('default');
    }
    expect(Object.keys(resourcesOf(stack, 'aws_scheduler_schedule')).length).toBeGreaterThan(0);
  });

  for (const [name, contract] of Object.entries(contracts)) {
    describe(name, () => {
      const pattern = () =>
        patternOf(
          rules.find((r) => r.name === name)!,
          refs,
        );

      it.each(Object.entries(contract.matches))('matches %s (documented sample event)', (_, event) => {
        expect(matchesPattern(pattern(), event)).toBe(true);
      });

      it.each(Object.entries(contract.misses))('does not match %s', (_, event) => {
        expect(matchesPattern(pattern(), event)).toBe(false);
      });
    });
  }

  it('has no rule on CloudTrail-delivered events unless the stack has a trail logging management events (EventBridge: "AWS service events delivered via AWS CloudTrail")', () => {
    const dependent = rules.filter((r) => dependsOnCloudTrail(patternOf(r, refs))).map((r) => r.name);
    if (!hasManagementTrail(stack)) expect(dependent).toEqual([]);
  });
});

it('takes every event fixture from a page of the AWS documentation it names', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
  expect(files.sort()).toEqual([
    'autoscaling-instance-launch-unsuccessful.json',
    'secretsmanager-secret-label-updated.json',
  ]);
  for (const file of files) expect(Object.keys(fixture(file))).toContain('detail-type');
});

describe('the CloudTrail-delivery check', () => {
  const rotationSucceeded = {
    source: ['aws.secretsmanager'],
    'detail-type': ['AWS Service Event via CloudTrail'],
    detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['RotationSucceeded'] },
  };

  it('flags rules on CloudTrail-delivered events, and rules that name no detail-type', () => {
    expect(dependsOnCloudTrail(rotationSucceeded)).toBe(true);
    expect(
      dependsOnCloudTrail({ ...rotationSucceeded, 'detail-type': ['AWS API Call via CloudTrail'] }),
    ).toBe(true);
    expect(dependsOnCloudTrail({ source: ['aws.secretsmanager'] })).toBe(true);
    expect(
      dependsOnCloudTrail({ source: ['aws.secretsmanager'], 'detail-type': ['Secret Label Updated'] }),
    ).toBe(false);
  });

  it('accepts only a trail that logs and records write management events', () => {
    const trail = (t: Json) => ({ resource: { aws_cloudtrail: { t } } });
    expect(hasManagementTrail({ resource: {} })).toBe(false);
    expect(hasManagementTrail(trail({ name: 'audit', s3_bucket_name: 'b' }))).toBe(true);
    expect(hasManagementTrail(trail({ name: 'audit', enable_logging: false }))).toBe(false);
    expect(
      hasManagementTrail(trail({ name: 'audit', event_selector: [{ read_write_type: 'ReadOnly' }] })),
    ).toBe(false);
    expect(
      hasManagementTrail(
        trail({
          name: 'audit',
          event_selector: [{ read_write_type: 'All', include_management_events: false }],
        }),
      ),
    ).toBe(false);
  });
});
