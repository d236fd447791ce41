import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Fn, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ACM_MAX_DOMAIN_NAME_LENGTH, HOSTED_ZONE_ID_PATTERN, dnsNameProblems } from '../lib/aws/dns';
import { IssueCollector, throwIfIssues } from '../lib/validation';

export interface DomainCertificateProps {
  /** `<project>-<env>`, the prefix of the certificate's Name tag. */
  readonly namePrefix: string;
  /** The one name the certificate covers (its Common Name; no SANs). */
  readonly domainName: string;
  /**
   * Route 53 zone to create the DNS validation record in. ACM gives every certificate of one name
   * in one account the same CNAME, whatever the region ("the CNAME validation token works for any
   * AWS Region", ACM user guide, DNS validation): a second certificate of the name passes
   * `validationRecordFqdns` of the first instead, so the record is written once.
   * @default none - `validationRecordFqdns` is required
   */
  readonly hostedZoneId?: string;
  /** FQDNs of validation records that already exist (another certificate's). @default [] */
  readonly validationRecordFqdns?: readonly string[];
  /** Provider of the certificate's region (us-east-1 for CloudFront). @default the stack's */
  readonly provider?: TerraformProvider;
}

/**
 * A public ACM certificate for one name, DNS-validated, and the `aws_acm_certificate_validation`
 * that waits for its issuance: `certificateArn` is that resource's attribute, so whatever uses it
 * (a distribution, a listener) is created only once the certificate is issued.
 */
export class DomainCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  /** The DNS validation record; set with `hostedZoneId`. */
  public readonly validationRecord?: Route53Record;
  public readonly validation: AcmCertificateValidation;
  /** ARN of the issued certificate (through the validation resource). */
  public readonly certificateArn: string;
  /** FQDNs of the records the validation waits for. */
  public readonly validationRecordFqdns: string[];

  constructor(scope: Construct, id: string, props: DomainCertificateProps) {
    super(scope, id);
    validate(this.node.path, props);
    const { provider } = props;

    this.certificate = new AcmCertificate(this, 'certificate', {
      provider,
      domainName: props.domainName,
      validationMethod: 'DNS',
      tags: { Name: `${props.namePrefix}-${props.domainName}` },
      // A listener or distribution cannot lose its certificate: the new one is issued first.
      lifecycle: { createBeforeDestroy: true },
    });

    const fqdns = [...(props.validationRecordFqdns ?? [])];
    if (props.hostedZoneId !== undefined) {
      // One name, one validation option: its record is known by position, with no for_each over
      // a set whose keys are unknown until the certificate exists.
      const option = Fn.element(Fn.tolist(this.certificate.domainValidationOptions), 0);
      this.validationRecord = new Route53Record(this, 'validation', {
        zoneId: props.hostedZoneId,
        name: Token.asString(Fn.lookup(option, 'resource_record_name')),
        type: Token.asString(Fn.lookup(option, 'resource_record_type')),
        records: [Token.asString(Fn.lookup(option, 'resource_record_value'))],
        ttl: 300,
        // The record is ACM's (per name and account): a re-created certificate has the same one.
        allowOverwrite: true,
      });
      fqdns.push(this.validationRecord.fqdn);
    }
    this.validationRecordFqdns = fqdns;

    this.validation = new AcmCertificateValidation(this, 'issued', {
      provider,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: fqdns,
    });
    this.certificateArn = this.validation.certificateArn;
  }
}

function validate(path: string, props: DomainCertificateProps): void {
  const v = new IssueCollector(path);
  for (const problem of dnsNameProblems(props.domainName))
    v.at('domainName').report(props.domainName, problem);
  v.at('domainName').check(
    props.domainName.length <= ACM_MAX_DOMAIN_NAME_LENGTH,
    props.domainName,
    `must have at most ${ACM_MAX_DOMAIN_NAME_LENGTH} characters (ACM RequestCertificate, DomainName)`,
  );
  if (props.hostedZoneId !== undefined && !Token.isUnresolved(props.hostedZoneId)) {
    v.at('hostedZoneId').matches(
      props.hostedZoneId,
      HOSTED_ZONE_ID_PATTERN,
      'must be a Route 53 hosted zone id',
    );
  }
  v.at('validationRecordFqdns').check(
    props.hostedZoneId !== undefined || (props.validationRecordFqdns ?? []).length > 0,
    props.validationRecordFqdns,
    'must name the validation record when no hostedZoneId is given (nothing would validate the certificate)',
  );
  throwIfIssues(v.issues);
}
