/**
 * Architecture diagram generated from a synthesized stack (`cdk.tf.json`), never drawn by hand:
 * everything shown (tiers, labels, traffic paths and their ports) is read from the resources, so
 * the picture cannot drift from what Terraform would create. Pure functions from JSON to text
 * (only `formatMarkdown` reads the Prettier config); the CLI (scripts/diagram.ts) does the
 * synthesis and the file writing.
 *
 * Where things come from:
 * - tiers: the `Tier` tag of the subnets a resource is placed in (directly, or through a DB /
 *   cache subnet group); CloudFront, WAF and S3 form the edge tier;
 * - traffic between resources: `aws_vpc_security_group_ingress_rule` (source group or CIDR to the
 *   rule's group), mapped to the resources that use those groups (a load balancer, an ECS service,
 *   an Auto Scaling group through its launch template, a DB instance, a replication group);
 * - outbound internet: egress rules to 0.0.0.0/0, through the NAT gateway the subnet routes to;
 * - CloudFront: its origins, with the path patterns of the behaviors that target each one.
 *
 * Markdown output goes through the repository's Prettier config (`formatMarkdown`) before it is
 * written or compared, so `prettier --check` and the freshness test agree on the same bytes.
 */
export {
  ARCHITECTURE_MARKERS,
  type ArchitectureModel,
  type DiagramEdge,
  type DiagramGroup,
  type DiagramNode,
  type Difference,
  type EdgeStyle,
  type NodeShape,
  type StackJson,
} from './types';
export { architectureModel } from './model';
export { renderMermaid } from './render';
export {
  architectureDocument,
  environmentDifferences,
  formatMarkdown,
  markedBlock,
  readmeBlock,
  replaceMarkedBlock,
} from './documents';
