import type { Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';

/** AWS managed WAF rule groups on the web ACL, in evaluation order after the rate limit. */
export const WAF_MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

export type WafManagedRuleGroup = (typeof WAF_MANAGED_RULE_GROUPS)[number];

/**
 * Rules of AWSManagedRulesCommonRuleSet that block cross-site scripting: XSS protection comes with
 * the common set, no separate group exists (AWS WAF developer guide, "Baseline rule groups").
 */
export const COMMON_RULE_SET_XSS_RULES = [
  'CrossSiteScripting_COOKIE',
  'CrossSiteScripting_QUERYARGUMENTS',
  'CrossSiteScripting_BODY',
  'CrossSiteScripting_URIPATH',
] as const;

/**
 * The rules of the three managed groups that inspect the request body, with the label each adds
 * to a request it matches, also when its action is overridden to count (AWS WAF developer guide,
 * "Baseline rule groups" for the common and known-bad-inputs sets, "Use-case specific rule
 * groups" for the SQL database set). Behind CloudFront they read the first 16 KB of the body: a
 * binary upload is a random 16 KB to them, and some of it matches.
 */
export const WAF_BODY_RULES: Readonly<Record<WafManagedRuleGroup, Readonly<Record<string, string>>>> = {
  AWSManagedRulesCommonRuleSet: {
    SizeRestrictions_BODY: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
    EC2MetaDataSSRF_BODY: 'awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body',
    GenericLFI_BODY: 'awswaf:managed:aws:core-rule-set:GenericLFI_Body',
    GenericRFI_BODY: 'awswaf:managed:aws:core-rule-set:GenericRFI_Body',
    CrossSiteScripting_BODY: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
  },
  AWSManagedRulesKnownBadInputsRuleSet: {
    JavaDeserializationRCE_BODY: 'awswaf:managed:aws:known-bad-inputs:JavaDeserializationRCE_Body',
    Log4JRCE_BODY: 'awswaf:managed:aws:known-bad-inputs:Log4JRCE_Body',
  },
  AWSManagedRulesSQLiRuleSet: {
    SQLi_BODY: 'awswaf:managed:aws:sql-database:SQLi_Body',
    SQLiExtendedPatterns_BODY: 'awswaf:managed:aws:sql-database:SQLiExtendedPatterns_Body',
  },
};

/** Name of the rule that blocks what the counted body rules labelled, outside the upload paths. */
export const BODY_RULES_OUTSIDE_UPLOADS = 'BodyRulesOutsideUploadPaths';

export interface WafRuleOptions {
  readonly rateLimit: number;
  readonly ratePathPrefix: string;
  readonly allowedCountries: readonly string[];
  /** Rules of the common set that only count, everywhere. */
  readonly countOnly: readonly string[];
  /** URI paths that take file content; see `CloudfrontProps.wafUploadPaths`. */
  readonly uploadPaths: readonly string[];
}

export function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** Matches requests whose URI path starts with `prefix` (case as sent). */
function pathStartsWith(prefix: string) {
  return {
    byte_match_statement: {
      search_string: prefix,
      positional_constraint: 'STARTS_WITH',
      field_to_match: { uri_path: {} },
      text_transformation: [{ priority: 0, type: 'NONE' }],
    },
  };
}

/**
 * Matches the upload path `path` and what lies below it (two statements: the path exactly, and
 * it with a slash as a prefix), after decoding and normalizing the path as the origin would:
 * `/api/uploads/../users` and `/api/uploads%2F..%2Fusers` are not uploads, nor is `/api/uploadsX`
 * (AWS WAF developer guide, "Text transformation options": URL_DECODE, NORMALIZE_PATH).
 */
function uploadPath(path: string) {
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  const match = (searchString: string, positionalConstraint: string) => ({
    byte_match_statement: {
      search_string: searchString,
      positional_constraint: positionalConstraint,
      field_to_match: { uri_path: {} },
      text_transformation: [
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'NORMALIZE_PATH' },
      ],
    },
  });
  return [match(base, 'EXACTLY'), match(`${base}/`, 'STARTS_WITH')];
}

/**
 * One statement as it is, several under an OR: AWS WAF's OR statement takes at least two nested
 * statements (AWS WAF developer guide, "OR rule statement").
 */
export function anyOf<T>(statements: readonly T[]): T | { or_statement: { statement: T[] } } {
  return statements.length === 1 ? statements[0] : { or_statement: { statement: [...statements] } };
}

/**
 * The body rules the web ACL re-blocks outside the upload paths: every body rule of every group,
 * except those the user set to count everywhere.
 */
export function reblockedBodyRules(o: Pick<WafRuleOptions, 'countOnly' | 'uploadPaths'>): string[] {
  if (o.uploadPaths.length === 0) return [];
  return Object.values(WAF_BODY_RULES)
    .flatMap((rules) => Object.keys(rules))
    .filter((name) => !o.countOnly.includes(name));
}

/** The web ACL's rules. `statement` is passed through untyped, so it is written in Terraform's snake_case. */
export function wafRules(o: WafRuleOptions): Wafv2WebAclRule[] {
  const rules: Wafv2WebAclRule[] = [];
  if (o.allowedCountries.length > 0) {
    rules.push({
      name: 'AllowedCountriesOnly',
      priority: 0,
      action: { block: {} },
      statement: {
        not_statement: { statement: { geo_match_statement: { country_codes: [...o.allowedCountries] } } },
      },
      visibilityConfig: visibility('AllowedCountriesOnly'),
    });
  }
  // Before the managed groups, so a flood is cut by the cheapest rule. Only the API is counted: a
  // page load fetches dozens of assets and a video player many ranges, and a whole carrier NAT
  // shares one address.
  rules.push({
    name: 'RateLimitPerIp',
    priority: 1,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: o.rateLimit,
        aggregate_key_type: 'IP',
        evaluation_window_sec: 300,
        scope_down_statement: pathStartsWith(o.ratePathPrefix),
      },
    },
    visibilityConfig: visibility('RateLimitPerIp'),
  });
  const uploads = o.uploadPaths.length > 0;
  WAF_MANAGED_RULE_GROUPS.forEach((group, i) => {
    // With upload paths, every body rule only counts (and labels) in its group; the rule after the
    // groups blocks the labelled requests that are not uploads.
    const counted = [
      ...(group === 'AWSManagedRulesCommonRuleSet' ? o.countOnly : []),
      ...(uploads ? Object.keys(WAF_BODY_RULES[group]) : []),
    ];
    const overrides = [...new Set(counted)].map((name) => ({ name, action_to_use: { count: {} } }));
    rules.push({
      name: group,
      priority: 10 + i,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: group,
          vendor_name: 'AWS',
          ...(overrides.length > 0 ? { rule_action_override: overrides } : {}),
        },
      },
      visibilityConfig: visibility(group),
    });
  });
  const reblocked = reblockedBodyRules(o);
  if (reblocked.length > 0) {
    // A rule overridden to count still adds its label, which a later rule can match (AWS WAF
    // developer guide, "AWS WAF label match examples").
    const labels = Object.values(WAF_BODY_RULES).flatMap((rules) =>
      Object.entries(rules)
        .filter(([name]) => reblocked.includes(name))
        .map(([, key]) => ({ label_match_statement: { scope: 'LABEL', key } })),
    );
    rules.push({
      name: BODY_RULES_OUTSIDE_UPLOADS,
      priority: 20,
      action: { block: {} },
      statement: {
        and_statement: {
          statement: [
            anyOf(labels),
            { not_statement: { statement: anyOf(o.uploadPaths.flatMap(uploadPath)) } },
          ],
        },
      },
      visibilityConfig: visibility(BODY_RULES_OUTSIDE_UPLOADS),
    });
  }
  return rules;
}
