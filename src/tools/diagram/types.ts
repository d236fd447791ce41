/** The diagram model (nodes, edges, tiers as groups) and the names shared by the stages. */
export type Json = Record<string, unknown>;

/** The parts of a synthesized stack the generator reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Json>>;
  readonly provider?: Record<string, unknown>;
  readonly variable?: Record<string, Json>;
}

export type NodeShape = 'box' | 'store' | 'circle';

export interface DiagramNode {
  /**
   * Mermaid id: the main resource's Terraform name without cdktf's hash suffix, i.e. its
   * construct path, which never contains the environment (so ids match across stacks).
   */
  readonly id: string;
  /** What the node is, for the differences table (e.g. `Auto Scaling group`). */
  readonly kind: string;
  /** Label lines, plain text (escaped when rendered). */
  readonly label: readonly string[];
  readonly shape: NodeShape;
  /** Id of the subgraph the node sits in, or undefined for nodes outside every subgraph. */
  readonly group?: string;
}

/** `traffic`: a network path that is allowed; `relation`: attachment, logs, IAM, optional paths. */
export type EdgeStyle = 'traffic' | 'relation';

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly style: EdgeStyle;
}

export interface DiagramGroup {
  readonly id: string;
  readonly title: string;
  readonly parent?: string;
}

export interface ArchitectureModel {
  /** The stack's `Environment` default tag (used to compare environments). */
  readonly environment: string;
  readonly groups: readonly DiagramGroup[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** One line of the environment comparison. */
export interface Difference {
  readonly item: string;
  readonly production: string;
  readonly other: string;
}

export const ARCHITECTURE_MARKERS = {
  start: '<!-- architecture:start -->',
  end: '<!-- architecture:end -->',
} as const;

export const EDGE_GROUP = 'tier_edge';
export const VPC_GROUP = 'vpc';
export const INTERNET = 'internet';
export const NAT_NODE = 'nat_gateways';
export const ENDPOINTS_NODE = 'interface_endpoints';
export const TIER_ORDER = ['public', 'private', 'gpu', 'data'];
export const TIER_TITLES: Record<string, string> = {
  public: 'Public tier',
  private: 'Private tier',
  gpu: 'GPU tier',
  data: 'Data tier',
};
export const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
