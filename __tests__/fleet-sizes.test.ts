import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AwsError,
  evaluate,
  FleetModel,
  IDLE,
  localMinuteOfWeek,
  type Load,
  type Vars,
} from './support/fleet-model';
import { synthStack } from './support/app';
import { type Json } from './support/synth';

/**
 * Fleet sizes over time: the README's first deploy (GPU tags empty, then set, then a week of
 * schedules) run through a model of Terraform and EC2 Auto Scaling on the synthesized JSON of
 * both stacks. The contract (docs/design.md): every fleet held at zero before its image exists
 * reaches its planned size within minutes of the tag being set, and keeps it.
 */

const SEOUL = 'Asia/Seoul';
const HOLD_LIMIT_MINUTES = 5;

/** Planned sizes with idle queues, in Seoul time (day 0 = Sunday): docs/design.md, GPU fleets. */
const PLANNED: Record<'staging' | 'production', Record<string, (day: number, hour: number) => number>> = {
  staging: {
    'ecg-video-pipeline-staging-model-server': () => 1,
    // Minimum 0: the queue wakes it.
    'ecg-video-pipeline-staging-render-worker': () => 0,
  },
  production: {
    'ecg-video-pipeline-production-model-server': () => 1,
    // Weekdays 09:00-18:00 at least 4, off-peak 2, weekends 1.
    'ecg-video-pipeline-production-render-worker': (day, hour) =>
      day === 0 || day === 6 ? 1 : hour >= 9 && hour < 18 ? 4 : 2,
  },
};

const EMPTY_TAGS: Vars = { model_server_image_tag: '', render_worker_image_tag: '' };
const TAGS_SET: Vars = { model_server_image_tag: '4f2c1ab', render_worker_image_tag: '4f2c1ab' };

/** Monday 2026-01-05 10:00 in Seoul (01:00 UTC), in minutes since the epoch. */
const DEPLOYED = Date.UTC(2026, 0, 5, 1, 0) / 60_000;
const DAY = 1440;
const WEEK = 7 * DAY;

// The tag goes in at times spread over a week: every 97 minutes (each weekday, every phase of 5 minutes).
const TAG_TIMES = Array.from({ length: Math.floor(WEEK / 97) }, (_, k) => DEPLOYED + DAY + k * 97);

function seoul(minute: number): string {
  const local = localMinuteOfWeek(minute, SEOUL);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][Math.floor(local / DAY)];
  const hh = String(Math.floor((local % DAY) / 60)).padStart(2, '0');
  return `${day} ${hh}:${String(local % 60).padStart(2, '0')}`;
}

function planned(stack: 'staging' | 'production', group: string, minute: number): number {
  const local = localMinuteOfWeek(minute, SEOUL);
  return PLANNED[stack][group](Math.floor(local / DAY), Math.floor((local % DAY) / 60));
}

interface Run {
  /** Minutes from the tag apply until each group first has its planned size. */
  readonly reached: Record<string, number>;
  /** Minutes after that at which a group was off its planned size. */
  readonly lapses: Record<string, number>;
  /** Scheduled actions AWS failed (minimum above maximum), over the whole run. */
  readonly rejected: readonly { minute: number; action: string }[];
  /** Sizes before the tag was set. */
  readonly beforeTag: Record<string, [number, number, number]>;
  /** What a second plan after each apply, and at the end, would change. */
  readonly drift: string[];
}

/** Deploy with empty tags, wait, apply the tags at `tagSetAt`, then a week of schedules. */
function firstDeploy(json: Json, stack: 'staging' | 'production', tagSetAt: number, load: Load = IDLE): Run {
  const model = new FleetModel(json);
  const drift: string[] = [];
  model.apply(EMPTY_TAGS);
  drift.push(...model.plan(EMPTY_TAGS));
  for (let t = DEPLOYED; t < tagSetAt; t++) model.tick(t, load);
  const beforeTag = Object.fromEntries(
    [...model.groups].map(([name, g]) => [name, [g.min, g.desired, g.max] as [number, number, number]]),
  );
  model.apply(TAGS_SET);
  drift.push(...model.plan(TAGS_SET));
  const reached: Record<string, number> = {};
  const lapses: Record<string, number> = {};
  for (let t = tagSetAt; t < tagSetAt + WEEK; t++) {
    model.tick(t, load);
    for (const [name, group] of model.groups) {
      const on = group.desired === planned(stack, name, t);
      if (reached[name] === undefined) {
        if (on) reached[name] = t - tagSetAt;
      } else if (!on) {
        lapses[name] = (lapses[name] ?? 0) + 1;
      }
    }
  }
  drift.push(...model.plan(TAGS_SET));
  return { reached, lapses, rejected: model.rejected, beforeTag, drift };
}

describe('the model of Terraform and EC2 Auto Scaling', () => {
  it('evaluates the conditionals on the tag variables as Terraform does', () => {
    const size = '${(var.render_worker_image_tag == "") ? 0 : 8}';
    expect(evaluate(size, EMPTY_TAGS)).toBe(0);
    expect(evaluate(size, TAGS_SET)).toBe(8);
    expect(evaluate('${min((var.render_worker_image_tag == "") ? 0 : 8, 1)}', TAGS_SET)).toBe(1);
    expect(() => evaluate('${length(var.x)}', TAGS_SET)).toThrow('the model reads no');
  });

  it('raises the desired capacity to a new minimum and refuses a minimum above the maximum (UpdateAutoScalingGroup)', () => {
    const model = new FleetModel({
      resource: {
        aws_autoscaling_group: { g: { name: 'g', min_size: 0, max_size: 0, desired_capacity: 0 } },
      },
    });
    model.apply({});
    model.updateAutoScalingGroup('g', { max: 8 });
    expect(model.groups.get('g')).toEqual({ min: 0, max: 8, desired: 0 });
    model.updateAutoScalingGroup('g', { min: 2 });
    expect(model.groups.get('g')).toEqual({ min: 2, max: 8, desired: 2 });
    expect(() => model.updateAutoScalingGroup('g', { max: 1 })).toThrow(AwsError);
  });

  it('fails a scheduled minimum above the maximum and leaves max and desired out when -1', () => {
    const json = {
      resource: {
        aws_autoscaling_group: {
          g: {
            name: 'g',
            min_size: 0,
            max_size: '${var.max}',
            desired_capacity: 0,
            lifecycle: { ignore_changes: ['min_size'] },
          },
        },
        aws_autoscaling_schedule: {
          s: {
            autoscaling_group_name: '${aws_autoscaling_group.g.name}',
            scheduled_action_name: 'peak',
            recurrence: '0 9 * * *',
            time_zone: SEOUL,
            min_size: 4,
            max_size: -1,
            desired_capacity: -1,
          },
        },
      },
    };
    const model = new FleetModel(json);
    model.apply({ max: 0 });
    const nineInSeoul = Date.UTC(2026, 0, 5, 0, 0) / 60_000;
    model.tick(nineInSeoul, IDLE);
    expect(model.rejected.map((r) => r.action)).toEqual(['peak']);
    expect(model.apply({ max: 8 })).toEqual(['update g {"max":8}']);
    expect(model.groups.get('g')).toEqual({ min: 0, max: 8, desired: 0 });
    model.tick(nineInSeoul + DAY, IDLE);
    expect(model.groups.get('g')).toEqual({ min: 4, max: 8, desired: 4 });
  });
});

describe.each(['staging', 'production'] as const)('%s: fleet sizes over the first deploy', (stack) => {
  const json = synthStack(stack);
  const groups = Object.keys(PLANNED[stack]).sort();
  let runs: { at: number; run: Run }[] = [];
  beforeAll(() => {
    runs = TAG_TIMES.map((t) => ({ at: t, run: firstDeploy(json, stack, t) }));
  });

  it('holds every GPU fleet at zero while its tag is empty, and no schedule asks for more than the maximum', () => {
    for (const { run } of runs) {
      expect(run.beforeTag).toEqual(Object.fromEntries(groups.map((g) => [g, [0, 0, 0]])));
    }
    const rejected = runs.flatMap(({ run }) => run.rejected.map((r) => `${r.action} at ${seoul(r.minute)}`));
    expect([...new Set(rejected)]).toEqual([]);
  });

  it(`brings every fleet to its planned size within ${HOLD_LIMIT_MINUTES} minutes of the tag apply, whenever it comes`, () => {
    const worst = Object.fromEntries(
      groups.map((g) => {
        const slowest = runs.reduce((a, b) =>
          (b.run.reached[g] ?? Infinity) > (a.run.reached[g] ?? Infinity) ? b : a,
        );
        return [g, { minutes: slowest.run.reached[g] ?? 'never', tagSetAt: seoul(slowest.at) }];
      }),
    );
    for (const g of groups) expect(worst[g], g).toMatchObject({ minutes: expect.any(Number) });
    for (const g of groups)
      expect(worst[g].minutes as number, `${g}: ${JSON.stringify(worst[g])}`).toBeLessThanOrEqual(
        HOLD_LIMIT_MINUTES,
      );
  });

  it('keeps each fleet at its planned size through the following week of schedules', () => {
    const lapses = runs
      .filter(({ run }) => Object.keys(run.lapses).length > 0)
      .map(({ at, run }) => ({ tagSetAt: seoul(at), ...run.lapses }));
    expect(lapses).toEqual([]);
  });

  it('leaves nothing for a second plan to change (Terraform does not fight the schedules or the policies)', () => {
    expect([...new Set(runs.flatMap(({ run }) => run.drift))]).toEqual([]);
  });
});

describe('staging render workers: jobs at an empty fleet', () => {
  it('starts one host in the first minute through the wake-from-zero alarm, then follows the queue', () => {
    const model = new FleetModel(synthStack('staging'));
    model.apply(EMPTY_TAGS);
    model.apply(TAGS_SET);
    const render = () => model.groups.get('ecg-video-pipeline-staging-render-worker');
    model.tick(DEPLOYED, IDLE);
    expect(render()).toEqual({ min: 0, max: 1, desired: 0 });
    model.tick(DEPLOYED + 1, { backlog: 3, utilization: 0 });
    expect(render()).toEqual({ min: 0, max: 1, desired: 1 });
    model.tick(DEPLOYED + 2, IDLE);
    expect(render()).toEqual({ min: 0, max: 1, desired: 0 });
  });
});

describe('the READMEs say what the model shows', () => {
  const prose = (file: string) =>
    readFileSync(join(__dirname, '..', file), 'utf8')
      .replace(/^#\s*/gm, '')
      .replace(/\s+/g, ' ');

  it.each([
    [
      'README.md',
      `planned size within ${HOLD_LIMIT_MINUTES} minutes`,
      `at ${TAG_TIMES.length} times spread over a week`,
    ],
    ['README.ko.md', `${HOLD_LIMIT_MINUTES}분 안에 계획된 크기`, `${TAG_TIMES.length}개 시점`],
  ])('%s: the first-deploy steps and the test that checks them', (file, within, times) => {
    const text = prose(file);
    expect(text).toContain(within);
    expect(text).toContain(times);
  });
});
