/**
 * The edge of one environment (split from platform-stack.ts): the CloudFront distribution in
 * front of the buckets and the API load balancer, and what the other parts must allow for it.
 * The distribution is created in the stack's own scope, so its address (`cdn`) never changes.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { Peer } from '../lib/security-group';
import { Cloudfront } from '../modules/cloudfront';
import type { EcsApiService } from '../modules/ecs';
import type { SecureBucket } from '../lib/secure-bucket';
import type { DomainCertificates } from './domain';
import type { Storage } from '../modules/storage';
import type { Vpc } from '../modules/vpc';

/** What the distribution fronts and where its global resources live. */
export interface EdgeWiring {
  readonly namePrefix: string;
  readonly config: EnvironmentConfig;
  readonly network: Vpc;
  readonly storage: Storage;
  readonly api: EcsApiService;
  /** CloudFront-scoped resources (the WAF web ACL) live in us-east-1. */
  readonly usEast1: AwsProvider;
  /** The custom domain's certificates, when the domain settings are given. */
  readonly certificates?: DomainCertificates;
  /** The API load balancer's certificate (configured, or the domain's regional one). */
  readonly albCertificateArn?: string;
  /** The second-region copy of the video bucket: the secondary origin of `/videos/*`. */
  readonly videoReplicaBucket?: SecureBucket;
}

/** The distribution, the origin header the API requires, the VPC origin's way in and the CORS origin. */
export function addEdge(scope: Construct, w: EdgeWiring): Cloudfront {
  const { config, api, storage, certificates, albCertificateArn } = w;
  const ports = config.security.ports;
  const cdn = new Cloudfront(scope, 'cdn', {
    namePrefix: w.namePrefix,
    frontendBucket: storage.frontendBucket,
    videoBucket: storage.videoBucket,
    logsBucket: storage.logsBucket,
    logPrefix: config.edge.logPrefix,
    // With HTTPS, CloudFront checks the ALB's certificate against this name.
    albDnsName: config.alb.originDomainName ?? api.albDnsName,
    vpcOriginAlbArn: config.alb.internetFacing ? undefined : api.albArn,
    albOriginHttps: !config.alb.internetFacing && albCertificateArn !== undefined,
    videoReplicaBucket: w.videoReplicaBucket,
    priceClass: config.edge.priceClass,
    defaultRootObject: config.edge.defaultRootObject,
    originSecretHeader: config.alb.requireOriginHeader,
    waf: config.edge.waf,
    wafRateLimitPer5Min: config.edge.wafRateLimitPer5Min,
    allowedCountries: config.edge.allowedCountries,
    wafUploadPaths: config.edge.wafUploadPaths,
    usEast1Provider: w.usEast1,
    aliases: certificates ? [certificates.name] : config.edge.aliases,
    acmCertificateArn: certificates?.viewer.certificateArn ?? config.edge.acmCertificateArn,
  });
  if (config.alb.requireOriginHeader && cdn.originSecretHeaderValue) {
    api.requireHeader(cdn.originSecretHeaderName, cdn.originSecretHeaderValue);
  }
  if (!config.alb.internetFacing) {
    // The VPC origin's network interfaces carry CloudFront's service-managed security group
    // (CloudFront-VPCOrigins-Service-SG), which CloudFront creates with the first VPC origin and
    // no resource attribute exposes; the origin-facing prefix list's id differs per region. Both
    // would need a data source at plan time, so the ALB admits the VPC's own range, on the one
    // port CloudFront uses. Nothing outside the VPC can reach an internal ALB at all.
    const originPort = albCertificateArn !== undefined ? ports.https : ports.http;
    api.allowToAlb(
      Peer.ipv4(w.network.vpcCidr, 'vpc'),
      originPort,
      'CloudFront VPC origin (its interfaces are in the VPC)',
    );
  }
  // 'cloudfront' in the CORS origins stands for the distribution's own URL.
  if (config.storage.corsAllowedOrigins.includes('cloudfront')) storage.addCorsAllowedOrigin(cdn.url);
  return cdn;
}
