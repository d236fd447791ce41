import { matchesPattern } from './support/event-pattern';

/** The matcher the event contracts use, against the EventBridge User Guide's own examples. */
describe('EventBridge pattern matching (test support)', () => {
  const event = {
    source: 'aws.ec2',
    'detail-type': 'EC2 Instance State-change Notification',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'],
    detail: {
      state: 'terminated',
      'instance-id': 'i-b188560f',
      count: 5,
      tags: [{ key: 'team' }],
      empty: null,
    },
  };

  it('requires every named field and takes any listed value (AND across fields, OR within one)', () => {
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } }, event)).toBe(
      true,
    );
    expect(matchesPattern({ source: ['aws.ec2'], detail: { state: ['running'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { empty: [null] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { count: ['5'] } }, event)).toBe(false);
  });

  it('matches an event array when the intersection is non-empty (Arrays in event patterns)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(
      matchesPattern({ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, event),
    ).toBe(false);
    expect(matchesPattern({ detail: { tags: { key: ['team'] } } }, event)).toBe(true);
  });

  it('is case-sensitive and exact unless an operator says otherwise', () => {
    expect(matchesPattern({ detail: { state: ['Terminated'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'equals-ignore-case': 'Terminated' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ prefix: 'term' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ suffix: 'nated' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ prefix: 'run' }] } }, event)).toBe(false);
  });

  it('supports anything-but, exists and numeric as the guide defines them', () => {
    expect(matchesPattern({ detail: { state: [{ 'anything-but': 'running' }] } }, event)).toBe(true);
    expect(
      matchesPattern({ detail: { state: [{ 'anything-but': ['running', 'terminated'] }] } }, event),
    ).toBe(false);
    expect(matchesPattern({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, event)).toBe(
      false,
    );
    expect(matchesPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { count: [{ numeric: ['<', 5] }] } }, event)).toBe(false);
  });

  it('fails loudly on what it does not implement, rather than guessing', () => {
    expect(() => matchesPattern({ $or: [{ source: ['aws.ec2'] }] }, event)).toThrow(
      /unsupported operator \$or/,
    );
    expect(() => matchesPattern({ detail: { state: [{ wildcard: 'term*' }] } }, event)).toThrow(
      /unsupported operator/,
    );
    expect(() => matchesPattern({ source: 'aws.ec2' }, event)).toThrow(/must be an array or an object/);
    expect(() => matchesPattern({ source: [] }, event)).toThrow(/empty array/);
  });
});
