import { evaluateStack, unsuppressedFindings } from '../../src/policies';
import { SUPPRESSIONS } from '../../src/policies/suppressions';
import { synthStack } from '../support/app';

describe('the real stacks against the policy pack', () => {
  it.each([
    ['state-backend', 'shared'],
    ['staging', 'staging'],
    ['production', 'production'],
  ] as const)('%s has zero unsuppressed findings', (stack, environment) => {
    expect(unsuppressedFindings(evaluateStack(synthStack(stack), environment))).toEqual([]);
  });

  it('uses every suppression somewhere (none is stale)', () => {
    const used = new Set<string>();
    for (const [stack, environment] of [
      ['staging', 'staging'],
      ['production', 'production'],
    ] as const) {
      for (const result of evaluateStack(synthStack(stack), environment)) {
        for (const finding of result.suppressed) used.add(finding.reason);
      }
    }
    for (const s of SUPPRESSIONS) expect(used, `${s.ruleId} ${s.check}`).toContain(s.reason);
  });
});
