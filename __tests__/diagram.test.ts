import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import {
  ARCHITECTURE_MARKERS,
  architectureDocument,
  architectureModel,
  environmentDifferences,
  formatMarkdown,
  markedBlock,
  readmeBlock,
  renderMermaid,
  replaceMarkedBlock,
  type ArchitectureModel,
  type DiagramEdge,
  type StackJson,
} from '../src/tools/diagram';
import { parseFlowchart } from './support/mermaid';
import { buildTestApp } from './support/app';

const projectDir = resolve(__dirname, '..');

/** The stacks as `npm run diagram` synthesizes them: cdktf.json context, no environment variables. */
function synthPlatforms(): Record<'production' | 'staging', StackJson> {
  const cdktf = JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const built = buildTestApp({}, cdktf.context ?? {});
  const synth = (env: string) => JSON.parse(Testing.synth(built.platforms[env])) as StackJson;
  return { production: synth('production'), staging: synth('staging') };
}

let json: Record<'production' | 'staging', StackJson>;
let production: ArchitectureModel;
let staging: ArchitectureModel;

beforeAll(() => {
  json = synthPlatforms();
  production = architectureModel(json.production);
  staging = architectureModel(json.staging);
});

function node(model: ArchitectureModel, id: string) {
  const found = model.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id} in ${model.environment}`);
  return found;
}

function edge(model: ArchitectureModel, from: string, to: string): DiagramEdge | undefined {
  return model.edges.find((e) => e.from === from && e.to === to);
}

const trafficEdges = (model: ArchitectureModel) =>
  model.edges
    .filter((e) => e.style === 'traffic')
    .map((e) => `${e.from} -> ${e.to}: ${e.label}`)
    .sort();

describe('architecture model of the production stack', () => {
  it('places each main resource in its tier, titled with the docs/design.md subnet CIDRs', () => {
    const tierOf = Object.fromEntries(production.nodes.map((n) => [n.id, n.group]));
    expect(tierOf).toMatchObject({
      cdn_distribution: 'tier_edge',
      cdn_web_acl: 'tier_edge',
      storage_frontend_bucket: 'tier_edge',
      storage_video_bucket: 'tier_edge',
      storage_logs_bucket: 'tier_edge',
      // Internal: the CloudFront VPC origin reaches it in the private subnets.
      api_alb: 'tier_private',
      nat_gateways: 'tier_public',
      api_service: 'tier_private',
      model_server_load_balancer: 'tier_gpu',
      model_server_asg: 'tier_gpu',
      render_worker_asg: 'tier_gpu',
      database_instance: 'tier_data',
      cache_replication_group: 'tier_data',
    });
    expect(production.groups).toEqual([
      { id: 'tier_edge', title: 'Edge and storage (outside the VPC)' },
      { id: 'vpc', title: 'VPC 10.0.0.0/16' },
      { id: 'tier_public', title: 'Public tier: 10.0.1.0/24, 10.0.2.0/24', parent: 'vpc' },
      { id: 'tier_private', title: 'Private tier: 10.0.10.0/24, 10.0.20.0/24', parent: 'vpc' },
      { id: 'tier_gpu', title: 'GPU tier: 10.0.3.0/24, 10.0.30.0/24', parent: 'vpc' },
      { id: 'tier_data', title: 'Data tier: 10.0.100.0/24, 10.0.200.0/24', parent: 'vpc' },
    ]);
  });

  it('draws the security-group table of docs/design.md as traffic paths with their ports', () => {
    expect(trafficEdges(production)).toEqual(
      [
        'api_alb -> api_service: tcp 8000',
        'api_service -> cache_replication_group: tcp 6379',
        'api_service -> database_instance: tcp 5432',
        'api_service -> model_server_load_balancer: tcp 8080',
        'api_service -> nat_gateways: tcp 443',
        'api_service -> render_worker_asg: tcp 8090',
        'cdn_distribution -> api_alb: /api/*: VPC origin, http 80',
        'cdn_distribution -> storage_frontend_bucket: default (*): https, OAC',
        'cdn_distribution -> storage_video_bucket: /videos/*: https, OAC',
        // The origin group's second member: reads go there when the Seoul bucket fails.
        'cdn_distribution -> video_replication_replica_bucket: /videos/* failover: https, OAC',
        // 80 for the CloudFront VPC origin, 8080 for the blue/green test listener.
        'cidr_10_0_0_0_16 -> api_alb: tcp 80, 8080',
        'internet -> cdn_distribution: https 443 (http 80 redirected)',
        'model_server_asg -> api_service: tcp 8000',
        'model_server_asg -> nat_gateways: all traffic',
        'model_server_load_balancer -> model_server_asg: tcp 8080',
        'nat_gateways -> internet: outbound via internet gateway',
        'render_worker_asg -> cache_replication_group: tcp 6379',
        'render_worker_asg -> nat_gateways: all traffic',
        // Interface endpoints admit the private and GPU subnets: whatever runs there.
        'api_service -> interface_endpoints: tcp 443',
        'model_server_asg -> interface_endpoints: tcp 443',
        'render_worker_asg -> interface_endpoints: tcp 443',
      ].sort(),
    );
    expect(node(production, 'interface_endpoints').label[0]).toBe('Interface endpoints x9');
    expect(edge(production, 'storage_video_bucket', 'video_replication_replica_bucket')).toEqual({
      from: 'storage_video_bucket',
      to: 'video_replication_replica_bucket',
      label: 'replication rendered/, uploads/ (RTC 15 min)',
      style: 'relation',
    });
  });

  it('never shows a data port reachable from a CIDR, and SSH only from the (empty) variable', () => {
    const fromOutside = production.edges.filter((e) => e.from === 'internet' || e.from.startsWith('cidr_'));
    expect(fromOutside.map((e) => e.to).sort()).toEqual(['api_alb', 'cdn_distribution']);
    expect(edge(production, 'var_ssh_allowed_cidrs', 'model_server_asg')).toEqual({
      from: 'var_ssh_allowed_cidrs',
      to: 'model_server_asg',
      label: 'tcp 22',
      style: 'relation',
    });
    expect(node(production, 'var_ssh_allowed_cidrs').label).toEqual([
      'var.ssh_allowed_cidrs',
      'empty by default',
    ]);
  });

  it('labels the resources with the production sizing', () => {
    expect(node(production, 'nat_gateways').label).toEqual([
      'NAT gateway x2',
      'ap-northeast-2a, ap-northeast-2c',
    ]);
    expect(node(production, 'api_service').label).toEqual([
      'ECS service (FARGATE)',
      'ecg-video-pipeline-production-api',
      'task 2048 CPU units / 4096 MiB',
      'container api:8000',
      'desired 2, autoscaling 2-10',
      'target CPU 70 %, memory 80 %',
    ]);
    expect(node(production, 'model_server_asg').label.slice(2, 4)).toEqual([
      'g4dn.xlarge, on demand',
      'min 1, desired 1, max 4',
    ]);
    expect(node(production, 'render_worker_asg').label.slice(2)).toEqual([
      'g4dn.2xlarge, g5.2xlarge, g6.2xlarge, on demand base 2, 100 % spot above it',
      'min 2, desired 2, max 8',
      '0 instances while render_worker_image_tag is empty',
      'target 10 jobs per in-service instance',
    ]);
    expect(node(production, 'model_server_load_balancer').label).toEqual([
      'Application Load Balancer (internal)',
      'ecg-video-pipeline-production-model-server-lb',
      'HTTP 8080: forward',
    ]);
    expect(node(production, 'api_alb').label).toEqual([
      'Application Load Balancer (internal)',
      'ecg-video-pipeline-production-alb',
      'HTTP 80: forward',
      'HTTP 8080: forward',
    ]);
    expect(node(production, 'database_instance').label).toEqual([
      'RDS PostgreSQL 15',
      'db.t4g.medium, Multi-AZ',
      '100-500 GB, gp3, encrypted',
    ]);
    expect(node(production, 'cache_replication_group').label).toEqual([
      'ElastiCache Redis 7.1',
      'cache.t4g.small x2 (primary + 1 replica)',
      'Multi-AZ, automatic failover',
      'TLS, AUTH, encrypted at rest',
    ]);
    expect(node(production, 'cdn_web_acl').label[0]).toBe('WAF web ACL (CLOUDFRONT scope)');
    expect(node(production, 'storage_video_bucket').label).toEqual([
      'S3 bucket',
      'ecg-video-pipeline-production-video-storage-{suffix}',
      'versioned, SSE AES256, public access blocked',
    ]);
  });

  it('shows the WAF, access logs and IAM S3 access as relations, not traffic', () => {
    const relations = production.edges
      .filter((e) => e.style === 'relation')
      .map((e) => `${e.from} -> ${e.to}: ${e.label}`);
    expect(relations).toEqual(
      expect.arrayContaining([
        'cdn_web_acl -> cdn_distribution: inspects viewer requests',
        'cdn_distribution -> storage_logs_bucket: access logs cloudfront-logs/',
        'api_alb -> storage_logs_bucket: access logs alb/',
        'api_service -> storage_video_bucket: S3 API (IAM), gateway endpoint',
        'model_server_asg -> storage_video_bucket: S3 API (IAM), gateway endpoint',
        'render_worker_asg -> storage_video_bucket: S3 API (IAM), gateway endpoint',
      ]),
    );
  });
});

describe('architecture model of the staging stack', () => {
  it('has one shared NAT gateway, no WAF, spot model servers and the small sizes', () => {
    expect(node(staging, 'nat_gateways').label).toEqual(['NAT gateway x1', 'ap-northeast-2a']);
    expect(staging.nodes.some((n) => n.id === 'cdn_web_acl')).toBe(false);
    expect(node(staging, 'model_server_asg').label.slice(2, 4)).toEqual([
      'g4dn.xlarge, g5.xlarge, g6.xlarge, spot',
      'min 1, desired 1, max 1',
    ]);
    expect(node(staging, 'render_worker_asg').label[3]).toBe('min 0, desired 0, max 1');
    expect(node(staging, 'api_service').label.slice(2)).toEqual([
      'task 512 CPU units / 1024 MiB',
      'container api:8000',
      'desired 1, autoscaling 1-2',
      'target CPU 70 %, memory 80 %',
    ]);
    expect(node(staging, 'database_instance').label[1]).toBe('db.t4g.micro, single-AZ');
    expect(node(staging, 'cache_replication_group').label.slice(1, 3)).toEqual([
      'cache.t4g.micro x1 (single node)',
      'no failover',
    ]);
    expect(staging.groups.find((g) => g.id === 'vpc')?.title).toBe('VPC 10.1.0.0/16');
  });

  it('has the same traffic paths as production, except how the ALB is reached, the interface endpoints and the video replica', () => {
    const albIn = (e: string) => e.endsWith(' -> api_alb') || / -> api_alb: /.test(e);
    const strip = (edges: string[]) =>
      edges.filter(
        (e) => !albIn(e) && !e.includes('-> interface_endpoints') && !e.includes('video_replication'),
      );
    expect(trafficEdges(staging).filter((e) => e.includes('interface_endpoints'))).toEqual([]);
    expect(strip(trafficEdges(staging))).toEqual(strip(trafficEdges(production)));
    // Staging: a public ALB CloudFront reaches over the internet, also open for direct tests.
    expect(edge(staging, 'cdn_distribution', 'api_alb')?.label).toBe('/api/*: http 80');
    expect(edge(staging, 'internet', 'api_alb')?.label).toBe('tcp 80, 443');
    expect(edge(production, 'internet', 'api_alb')).toBeUndefined();
  });

  it('lists the differences from production, environment names left out', () => {
    const rows = Object.fromEntries(
      environmentDifferences(production, staging).map((d) => [d.item, [d.production, d.other]]),
    );
    expect(rows['NAT gateways `nat_gateways`']).toEqual([
      'NAT gateway x2; ap-northeast-2a, ap-northeast-2c',
      'NAT gateway x1; ap-northeast-2a',
    ]);
    expect(rows['WAF web ACL `cdn_web_acl`'][1]).toBe('absent');
    expect(rows['relation `cdn_web_acl` to `cdn_distribution`']).toEqual([
      'inspects viewer requests',
      'absent',
    ]);
    expect(rows['Auto Scaling group `model_server_asg`']).toEqual([
      'g4dn.xlarge, on demand; min 1, desired 1, max 4',
      'g4dn.xlarge, g5.xlarge, g6.xlarge, spot; min 1, desired 1, max 1',
    ]);
    // Names differ only by environment, which is normalised away.
    expect(Object.values(rows).flat().join(' ')).not.toMatch(/ecg-video-pipeline-(production|staging)/);
  });
});

describe('Mermaid output', () => {
  /** A node's label as renderMermaid writes it: lines joined by <br/>, quotes and brackets as entities. */
  const written = (label: readonly string[]) =>
    label.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>');

  it.each(['production', 'staging'] as const)(
    "%s parses with Mermaid's own parser into exactly the model's nodes, edges and subgraphs",
    async (env) => {
      const model = env === 'production' ? production : staging;
      const parsed = await parseFlowchart(renderMermaid(model));
      expect(parsed.type).toBe('flowchart-v2');
      const shapes = { box: 'square', store: 'cylinder', circle: 'circle' } as const;
      expect(parsed.vertices.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [...model.nodes]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((n) => ({ id: n.id, text: written(n.label), type: shapes[n.shape] })),
      );
      expect(parsed.edges).toEqual(
        model.edges.map((e) => ({
          start: e.from,
          end: e.to,
          text: e.label.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;'),
          stroke: e.style === 'traffic' ? 'normal' : 'dotted',
        })),
      );
      for (const group of model.groups) {
        const subgraph = parsed.subgraphs.find((s) => s.id === group.id);
        expect(subgraph?.title, group.id).toBe(written([group.title]));
        const members = [
          ...model.nodes.filter((n) => n.group === group.id).map((n) => n.id),
          ...model.groups.filter((g) => g.parent === group.id).map((g) => g.id),
        ];
        expect([...subgraph!.nodes].sort(), group.id).toEqual(members.sort());
      }
      expect(parsed.subgraphs).toHaveLength(model.groups.length);
    },
  );

  it("fails when the text is not valid Mermaid (the parser's own error)", async () => {
    const broken = renderMermaid(production).replace(/\]\n/, '\n');
    await expect(parseFlowchart(broken)).rejects.toThrow(/Parse error on line \d+/);
  });

  it('is deterministic: the same output whatever the order of resources in the JSON', () => {
    const reversed: StackJson = {
      ...json.production,
      resource: Object.fromEntries(
        Object.entries(json.production.resource ?? {})
          .reverse()
          .map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).reverse())]),
      ),
    };
    expect(renderMermaid(architectureModel(reversed))).toBe(renderMermaid(production));
  });

  it('escapes quotes and angle brackets inside labels', () => {
    const model: ArchitectureModel = {
      environment: 'x',
      groups: [],
      nodes: [{ id: 'a', kind: 'k', label: ['say "hi" <now>'], shape: 'box' }],
      edges: [],
    };
    expect(renderMermaid(model)).toBe('flowchart TB\n  a["say #quot;hi#quot; #lt;now#gt;"]\n');
  });
});

describe('security-group rules of a small fixture', () => {
  const sg = (name: string) => ({ name, vpc_id: 'vpc-1' });
  const fixture: StackJson = {
    resource: {
      aws_subnet: {
        app: { cidr_block: '10.9.1.0/24', availability_zone: 'az-a', tags: { Tier: 'private' } },
      },
      aws_security_group: { web: sg('web'), app: sg('app') },
      aws_lb: {
        web_lb: {
          internal: true,
          security_groups: ['${aws_security_group.web.id}'],
          subnets: ['${aws_subnet.app.id}'],
        },
      },
      aws_ecs_service: {
        app_svc: {
          name: 'svc',
          desired_count: 1,
          network_configuration: {
            security_groups: ['${aws_security_group.app.id}'],
            subnets: ['${aws_subnet.app.id}'],
          },
        },
      },
      aws_vpc_security_group_ingress_rule: {
        http: {
          security_group_id: '${aws_security_group.app.id}',
          referenced_security_group_id: '${aws_security_group.web.id}',
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
        },
        alt: {
          security_group_id: '${aws_security_group.app.id}',
          referenced_security_group_id: '${aws_security_group.web.id}',
          ip_protocol: 'tcp',
          from_port: 80,
          to_port: 80,
        },
        range: {
          security_group_id: '${aws_security_group.app.id}',
          cidr_ipv4: '10.9.0.0/16',
          ip_protocol: 'udp',
          from_port: 1000,
          to_port: 2000,
        },
        all: {
          security_group_id: '${aws_security_group.web.id}',
          referenced_security_group_id: '${aws_security_group.app.id}',
          ip_protocol: '-1',
        },
      },
    },
  };

  it('merges ports per pair, keeps ranges and all-traffic rules, and names CIDR sources', () => {
    const model = architectureModel(fixture);
    expect(model.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([
      'app_svc -> web_lb: all traffic',
      'cidr_10_9_0_0_16 -> app_svc: udp 1000-2000',
      'web_lb -> app_svc: tcp 80, 443',
    ]);
    expect(model.nodes.find((n) => n.id === 'cidr_10_9_0_0_16')?.label).toEqual(['10.9.0.0/16']);
  });

  it('fails when the JSON has no resources', () => {
    expect(() => architectureModel({})).toThrow(
      'diagram: the stack JSON has no resources (is this a cdk.tf.json?)',
    );
  });
});

describe('README markers', () => {
  const { start, end } = ARCHITECTURE_MARKERS;

  it('replaces only what is between the markers', () => {
    const text = `# Title\n\n${start}\nold\n${end}\n\nrest\n`;
    expect(replaceMarkedBlock(text, 'new')).toBe(`# Title\n\n${start}\nnew\n${end}\n\nrest\n`);
    expect(markedBlock(`a${start}\n\nbody\n${end}`)).toBe('body');
  });

  it('leaves a README without markers alone', () => {
    expect(replaceMarkedBlock('# Title\n', 'new')).toBeUndefined();
    expect(markedBlock('# Title\n')).toBeUndefined();
  });

  it('fails when a marker is missing or repeated', () => {
    expect(() => replaceMarkedBlock(`${start}\nx\n`, 'new')).toThrow(
      `README markers: expected one ${start} and one ${end}, found 1 and 0`,
    );
    expect(() => replaceMarkedBlock(`${start}${start}${end}`, 'new')).toThrow(
      `README markers: expected one ${start} and one ${end}, found 2 and 1`,
    );
  });

  it('fails when the end marker comes first', () => {
    expect(() => replaceMarkedBlock(`${end}\nx\n${start}`, 'new')).toThrow(
      `README markers: ${end} comes before ${start}`,
    );
  });
});

describe('committed outputs', () => {
  it('docs/architecture.md is up to date (run npm run diagram)', async () => {
    const path = join(projectDir, 'docs', 'architecture.md');
    const expected = await formatMarkdown(architectureDocument(production, staging), path);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(expected).toContain('```mermaid\nflowchart TB\n');
    expect(expected).toContain('## Legend');
  });

  it.each(['README.md', 'README.ko.md'])(
    "%s's architecture block, when the markers exist, is up to date (run npm run diagram)",
    async (file) => {
      const path = join(projectDir, file);
      const readme = readFileSync(path, 'utf8');
      const updated = replaceMarkedBlock(readme, readmeBlock(production));
      if (updated === undefined) {
        // Without markers the script leaves the README alone: nothing is embedded yet.
        expect(readme).not.toContain('```mermaid\nflowchart TB');
        return;
      }
      expect(markedBlock(readme)).toBe(markedBlock(await formatMarkdown(updated, path)));
    },
  );
});
