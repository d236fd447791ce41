/** Validation of the CloudFront module's props, every problem reported together. */
import { Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IssueCollector, throwIfIssues } from '../lib/validation';
import { acmCertificateArnPattern } from '../lib/aws/arns';
import { LOG_RETENTION_DAYS } from '../lib/aws/limits';
import { PRICE_CLASSES, type CloudfrontProps } from './cloudfront-props';

/** Longest suffix appended to `namePrefix` (`-frontend-rewrite`); CloudFront names allow 64. */
const MAX_NAME_PREFIX = 64 - '-frontend-rewrite'.length;

export interface Resolved {
  readonly ratePathPrefix: string;
  readonly uploadPaths: readonly string[];
  readonly logRetention: number;
  readonly priceClass: string;
  readonly defaultRootObject: string;
  readonly logPrefix: string;
  readonly waf: boolean;
  readonly rateLimit: number;
  readonly allowedCountries: readonly string[];
  readonly countOnly: readonly string[];
  readonly aliases: readonly string[];
}

/** Elastic Load Balancing ARN of an application load balancer (ELB API reference, ARN formats). */
const ALB_ARN_PATTERN =
  /^arn:aws(?:-cn|-us-gov)?:elasticloadbalancing:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

/** True when `value` is known at synth time (not a Terraform reference). */
function known(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/** Every problem with the props, reported together. */
export function validate(path: string, props: CloudfrontProps, r: Resolved): void {
  const v = new IssueCollector(path);
  if (known(props.namePrefix)) {
    v.at('namePrefix').matches(
      props.namePrefix,
      new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_NAME_PREFIX - 1}}$`),
      `must be 1-${MAX_NAME_PREFIX} lowercase letters, digits or hyphens (CloudFront function names allow 64 characters)`,
    );
  }
  v.at('frontendBucket').check(
    props.frontendBucket !== props.videoBucket,
    props.frontendBucket.node.path,
    'must not be the video bucket (the whole frontend bucket is readable by CloudFront)',
  );
  const replica = props.videoReplicaBucket;
  v.at('videoReplicaBucket').check(
    replica !== props.videoBucket && replica !== props.frontendBucket,
    replica?.node.path,
    'must be a copy of the video bucket in another region, not an origin bucket itself',
  );
  v.at('logsBucket').check(
    props.logsBucket.objectOwnership !== 'BucketOwnerEnforced',
    props.logsBucket.objectOwnership,
    'must accept ACLs (objectOwnership BucketOwnerPreferred): CloudFront standard logging writes log files with ACLs',
  );
  v.at('logsBucket').check(
    props.logsBucket !== props.frontendBucket && props.logsBucket !== props.videoBucket,
    props.logsBucket.node.path,
    'must be a bucket of its own, not an origin bucket',
  );
  v.at('logPrefix').matches(
    r.logPrefix,
    /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/,
    'must be an S3 key prefix ending in /',
  );
  if (known(props.albDnsName)) {
    v.at('albDnsName').matches(
      props.albDnsName,
      /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i,
      'must be a DNS name (the ALB dns_name)',
    );
  }
  v.at('priceClass').oneOf(r.priceClass, PRICE_CLASSES);
  v.at('defaultRootObject').matches(
    r.defaultRootObject,
    /^[^/\s][^\s]{0,254}$/,
    'must be an object key without a leading slash, at most 255 characters',
  );
  v.at('wafRateLimitPer5Min').intRange(r.rateLimit, 10, 2000000000);
  r.allowedCountries.forEach((cc, i) => {
    const at = v.at('allowedCountries').at(i);
    at.matches(cc, /^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code like KR');
    at.check(r.allowedCountries.indexOf(cc) === i, cc, 'is listed twice');
  });
  const pathPrefix = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
  v.at('wafRateLimitPathPrefix').matches(r.ratePathPrefix, pathPrefix, 'must be a URI path starting with /');
  r.uploadPaths.forEach((path, i) => {
    const at = v.at('wafUploadPaths').at(i);
    at.matches(path, pathPrefix, 'must be a URI path starting with /');
    at.check(path !== '/', path, 'would exempt every path from the body rules: name the upload endpoint');
    at.check(r.uploadPaths.indexOf(path) === i, path, 'is listed twice');
  });
  v.at('wafLogRetentionDays').oneOf(r.logRetention, LOG_RETENTION_DAYS);
  v.at('albOriginHttps').check(
    !props.albOriginHttps || props.vpcOriginAlbArn !== undefined,
    props.albOriginHttps,
    'needs vpcOriginAlbArn (a public ALB origin is reached on port 80 with the origin header)',
  );
  v.at('originSecretHeader').check(
    !(props.originSecretHeader && props.vpcOriginAlbArn !== undefined),
    props.originSecretHeader,
    'is not used with vpcOriginAlbArn: an internal ALB is reachable only through the VPC origin',
  );
  r.countOnly.forEach((rule, i) =>
    v
      .at('wafCommonRuleSetCountOnly')
      .at(i)
      .matches(
        rule,
        /^[A-Za-z0-9_]+$/,
        'must be a rule name of AWSManagedRulesCommonRuleSet like SizeRestrictions_BODY',
      ),
  );
  if (!r.waf) {
    v.at('allowedCountries').check(
      r.allowedCountries.length === 0,
      r.allowedCountries,
      'needs waf: true (the country allow-list is a WAF rule)',
    );
    v.at('wafCommonRuleSetCountOnly').check(r.countOnly.length === 0, r.countOnly, 'needs waf: true');
    v.at('wafUploadPaths').check(r.uploadPaths.length === 0, r.uploadPaths, 'needs waf: true');
  } else {
    const provider = props.usEast1Provider;
    v.at('usEast1Provider').check(
      provider !== undefined,
      provider,
      'is required with waf: true (CloudFront web ACLs exist only in us-east-1)',
    );
    if (provider instanceof AwsProvider && known(provider.region)) {
      v.at('usEast1Provider').check(
        provider.region === 'us-east-1',
        provider.region,
        'must be an AWS provider for region us-east-1 (CloudFront web ACLs exist only there)',
      );
    }
  }
  r.aliases.forEach((alias, i) =>
    v
      .at('aliases')
      .at(i)
      .matches(alias, /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name'),
  );
  if (r.aliases.length > 0) {
    v.at('acmCertificateArn').check(
      props.acmCertificateArn !== undefined,
      props.acmCertificateArn,
      'is required with aliases (CloudFront serves alternate names only with a matching certificate)',
    );
  } else {
    v.at('acmCertificateArn').check(
      props.acmCertificateArn === undefined,
      props.acmCertificateArn,
      'needs aliases (the certificate is only served for alternate domain names)',
    );
  }
  // An empty ARN would pass the albOriginHttps and originSecretHeader checks yet create no VPC origin.
  if (known(props.vpcOriginAlbArn)) {
    v.at('vpcOriginAlbArn').matches(
      props.vpcOriginAlbArn,
      ALB_ARN_PATTERN,
      'must be the ARN of an application load balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)',
    );
  }
  if (known(props.acmCertificateArn)) {
    v.at('acmCertificateArn').matches(
      props.acmCertificateArn,
      acmCertificateArnPattern('us-east-1'),
      'must be an ACM certificate ARN in us-east-1 (CloudFront uses certificates only from there)',
    );
  }
  throwIfIssues(v.issues);
}
