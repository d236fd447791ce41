import { anyOf, wafRules, type WafRuleOptions } from '../src/modules/cloudfront-waf';

/** The web ACL's rule list (src/modules/cloudfront-waf.ts) from its options, without a stack. */
const OPTIONS: WafRuleOptions = {
  rateLimit: 2000,
  ratePathPrefix: '/api/',
  allowedCountries: [],
  countOnly: [],
  uploadPaths: [],
};

const overridesOf = (o: Partial<WafRuleOptions>) =>
  Object.fromEntries(
    wafRules({ ...OPTIONS, ...o })
      .filter((r) => r.name.startsWith('AWSManagedRules'))
      .map((r) => {
        const statement = r.statement as { managed_rule_group_statement: { rule_action_override?: unknown } };
        return [r.name, statement.managed_rule_group_statement.rule_action_override];
      }),
  );

describe('WAF rules', () => {
  it('has no country rule without allowed countries: the rate limit, then the three managed groups', () => {
    expect(wafRules(OPTIONS).map((r) => [r.name, r.priority])).toEqual([
      ['RateLimitPerIp', 1],
      ['AWSManagedRulesCommonRuleSet', 10],
      ['AWSManagedRulesKnownBadInputsRuleSet', 11],
      ['AWSManagedRulesSQLiRuleSet', 12],
    ]);
  });

  it('blocks every country but the allowed ones first, when some are given', () => {
    const [first] = wafRules({ ...OPTIONS, allowedCountries: ['KR'] });
    expect(first).toEqual({
      name: 'AllowedCountriesOnly',
      priority: 0,
      action: { block: {} },
      statement: { not_statement: { statement: { geo_match_statement: { country_codes: ['KR'] } } } },
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        metricName: 'AllowedCountriesOnly',
        sampledRequestsEnabled: true,
      },
    });
  });

  it('counts the common-set rules named count-only in that group alone', () => {
    expect(overridesOf({ countOnly: ['SizeRestrictions_BODY'] })).toEqual({
      AWSManagedRulesCommonRuleSet: [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }],
      AWSManagedRulesKnownBadInputsRuleSet: undefined,
      AWSManagedRulesSQLiRuleSet: undefined,
    });
    expect(overridesOf({})).toEqual({
      AWSManagedRulesCommonRuleSet: undefined,
      AWSManagedRulesKnownBadInputsRuleSet: undefined,
      AWSManagedRulesSQLiRuleSet: undefined,
    });
  });

  // AWS WAF developer guide, "OR rule statement": "This requires at least two nested statements."
  it('puts one statement as it is and several under an OR (WAF: an OR takes at least two)', () => {
    const a = { label_match_statement: { scope: 'LABEL', key: 'a' } };
    const b = { label_match_statement: { scope: 'LABEL', key: 'b' } };
    expect(anyOf([a])).toBe(a);
    expect(anyOf([a, b])).toEqual({ or_statement: { statement: [a, b] } });
  });
});
