import { TerraformCommandError, offlinePlan, readSynthesizedStack } from '../src/tools/offline-plan';
import type { Json } from './support/synth';
import { configuredPlan, synthWith } from './support/tfvars';

// A file of its own: its plans run beside tfvars.test.ts's instead of after them.
describe('production image tags (IMMUTABLE ECR repositories)', () => {
  /** Planned [min, desired, max] of each GPU Auto Scaling group, by group name. */
  const sizes = (plan: Json) =>
    Object.fromEntries(
      (plan.planned_values.root_module.resources as Json[])
        .filter((r) => r.type === 'aws_autoscaling_group')
        .map((r) => [r.values.name, [r.values.min_size, r.values.desired_capacity, r.values.max_size]]),
    );

  it('plans each GPU fleet at zero until its tag is set, then at its configured size with its schedules', async () => {
    // support/tfvars.ts: tfvars/production.tfvars sets render_worker_image_tag = "4f2c1ab" only.
    const { plan } = await configuredPlan('production');
    expect(plan.variables.model_server_image_tag.value).toBe('');
    expect(sizes(plan)).toEqual({
      'ecg-video-pipeline-production-model-server': [0, 0, 0],
      'ecg-video-pipeline-production-render-worker': [2, 2, 8],
    });
    const resources = plan.planned_values.root_module.resources as Json[];
    const inService = resources
      .filter((r) => r.type === 'aws_cloudwatch_metric_alarm' && /-in-service$/.test(r.values.alarm_name))
      .map((r) => [r.values.alarm_name, r.values.threshold]);
    expect(Object.fromEntries(inService)).toEqual({
      'ecg-video-pipeline-production-model-server-in-service': 0,
      // The weekend's scheduled minimum: an idle weekend at 1 host is not an alarm.
      'ecg-video-pipeline-production-render-worker-in-service': 1,
    });
    // With the tag set the render minimums are held every 5 minutes in Asia/Seoul (count 1 each).
    const schedules = resources
      .filter((r) => r.type === 'aws_autoscaling_schedule')
      .map((r) => [r.index, r.values.recurrence, r.values.min_size, r.values.time_zone]);
    expect(schedules.sort()).toEqual([
      [0, '*/5 * * * 0,6', 1, 'Asia/Seoul'],
      [0, '*/5 0-8 * * 1', 2, 'Asia/Seoul'],
      [0, '*/5 0-8 * * 2-5', 2, 'Asia/Seoul'],
      [0, '*/5 18-23 * * 1-5', 2, 'Asia/Seoul'],
      [0, '*/5 9-17 * * 1-5', 4, 'Asia/Seoul'],
    ]);
  });

  it('fails the plan when a production tag is latest, which an IMMUTABLE repository takes only once', async () => {
    // Synth refuses this tfvars file itself (bad-input.test.ts); the plan must refuse it too. The
    // rule is a validation block of the stack's variables, which Terraform evaluates from the
    // variables alone: they are planned without the resources (tfvars.test.ts shows that a full
    // plan stops on such a validation with that error only).
    const { variable } = await readSynthesizedStack(await synthWith({}), 'production');
    const failure = await offlinePlan({
      stack: 'production-variables',
      stackJson: { variable },
      extraFiles: {
        'production.auto.tfvars': 'api_image_tag = "latest"\nrender_worker_image_tag = "latest"\n',
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TerraformCommandError);
    expect((failure as TerraformCommandError).message.split('\n')[0]).toBe(
      'terraform plan failed with 2 error(s):',
    );
    const output = (failure as TerraformCommandError).output.replace(/\s+/g, ' ');
    for (const name of ['api_image_tag', 'render_worker_image_tag']) {
      expect(output).toContain(
        `${name} must be an explicit tag such as the git SHA, not latest: this stack's ECR repositories are IMMUTABLE`,
      );
    }
  });
});
