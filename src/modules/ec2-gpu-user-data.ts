import { Fn, Tokenization } from 'cdktf';
import type { GpuFleetSecret } from './ec2-gpu-props';
import { CLOUDWATCH_AGENT_NAMESPACE, NVIDIA_GPU_UNITS } from '../lib/aws/cloudwatch-agent';
import { drainHookName, drainWatcherScript } from './ec2-gpu-scaling';
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, XRAY_PROXY_PORT } from '../lib/tracing';

/**
 * The GPU hosts' user data (split from ec2-gpu.ts): a bash script that installs the fleet's
 * systemd service and the CloudWatch agent, with Terraform references kept as references.
 */

/** CloudWatch namespace of the agent's GPU, memory and disk metrics (per Auto Scaling group). */
export const GPU_AGENT_NAMESPACE = CLOUDWATCH_AGENT_NAMESPACE;

/** What the bootstrap script needs of a fleet's (defaulted) props. */
export interface UserDataProps {
  readonly name: string;
  readonly imageUri: string;
  readonly region: string;
  readonly port: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, GpuFleetSecret>>;
  /** Seconds a stopping service gets to finish its work; 0 stops it at docker's default. */
  readonly drainTimeoutSeconds: number;
}

/**
 * Name under which the containers reach the host (and its CloudWatch agent): `docker run
 * --add-host host.docker.internal:host-gateway` maps it to the default bridge's gateway address.
 */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

/**
 * The CloudWatch agent's configuration on a GPU host: NVIDIA GPU, memory and root-disk metrics
 * with the AutoScalingGroupName dimension (`append_dimensions`) and aggregated per group
 * (`aggregation_dimensions`). Each GPU measurement names its unit: without one the agent publishes
 * None (CloudWatch User Guide, "Collect NVIDIA GPU metrics"). Metric names follow the agent's rule
 * `<plugin>_<measurement>`: nvidia_smi_utilization_gpu, mem_used_percent, disk_used_percent.
 *
 * Traces: the agent's OTLP receiver and X-Ray sampling proxy, exported to X-Ray (agent schema
 * `traces.traces_collected.otlp` / `.xray.tcp_proxy`). The agent's defaults listen on 127.0.0.1,
 * which the containers on Docker's bridge cannot reach; these listen on every host address, and
 * the fleet's security group admits none of these ports, so only the host and its containers can
 * send. The UDP X-Ray segment listener stays on the host's loopback (the containers use OTLP).
 */
export function agentConfig(namespace: string): object {
  const anyAddress = (port: number) => `0.0.0.0:${port}`;
  return {
    traces: {
      traces_collected: {
        otlp: { grpc_endpoint: anyAddress(OTLP_GRPC_PORT), http_endpoint: anyAddress(OTLP_HTTP_PORT) },
        xray: {
          bind_address: `127.0.0.1:${XRAY_PROXY_PORT}`,
          tcp_proxy: { bind_address: anyAddress(XRAY_PROXY_PORT) },
        },
      },
    },
    metrics: {
      namespace,
      append_dimensions: { AutoScalingGroupName: '${aws:AutoScalingGroupName}' },
      aggregation_dimensions: [['AutoScalingGroupName']],
      metrics_collected: {
        nvidia_gpu: {
          measurement: Object.entries(NVIDIA_GPU_UNITS).map(([name, unit]) => ({ name, unit })),
        },
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'] },
      },
    },
  };
}

type Fragment = { readonly literal: string } | { readonly token: string };

/** Template tag: interpolated references stay references, everything else becomes text. */
function sh(strings: TemplateStringsArray, ...values: Array<string | number>): Fragment[] {
  return strings.flatMap((text, i) => [
    { literal: text },
    ...(i < values.length ? fragmentsOf(String(values[i])) : []),
  ]);
}

/**
 * Shell script text in which Terraform references stay references. Literal text is escaped for
 * a Terraform string (`${`, `%{`, quotes, backslashes), so the instance receives exactly the
 * script written here.
 */
export class ShellScript {
  private readonly fragments: Fragment[] = [];

  /** Appends parts written with the `sh` template tag. */
  public add(fragments: readonly Fragment[]): this {
    this.fragments.push(...fragments);
    return this;
  }

  public text(): string {
    return this.fragments.map((f) => ('literal' in f ? f.literal : f.token)).join('');
  }

  /** Base64 user data: computed here when every part is known, else by Terraform's base64encode. */
  public base64(): string {
    if (this.fragments.every((f) => 'literal' in f)) return Buffer.from(this.text()).toString('base64');
    const parts: string[] = [];
    let pending = '';
    for (const f of this.fragments) {
      if ('literal' in f) {
        pending += f.literal;
        continue;
      }
      if (pending !== '') parts.push(Fn.rawString(terraformLiteral(pending)));
      pending = '';
      parts.push(f.token);
    }
    if (pending !== '') parts.push(Fn.rawString(terraformLiteral(pending)));
    return Fn.base64encode(Fn.join('', parts));
  }
}

/** Splits a value that may mix text and Terraform references into text and reference parts. */
function fragmentsOf(value: string): Fragment[] {
  const fragments: Fragment[] = [];
  let rest = value;
  for (const token of Tokenization.reverseString(value).tokens.map((t) => t.toString())) {
    const at = rest.indexOf(token);
    fragments.push({ literal: rest.slice(0, at) }, { token });
    rest = rest.slice(at + token.length);
  }
  fragments.push({ literal: rest });
  return fragments;
}

/** Escapes what Fn.rawString leaves alone: backslashes and template directives. */
function terraformLiteral(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/%\{/g, '%%{');
}

/**
 * User data: writes the container environment, a prepare script (ECR login with the instance
 * role, pull, secrets) that runs before every start, and a systemd unit running the image with
 * every GPU; starts the CloudWatch agent (GPU metrics) and the drain watcher, then queues the
 * service's start without waiting for it. No credential is written here.
 */
export function bootstrapScript(p: UserDataProps, fullName: string): ShellScript {
  const svc = p.name;
  const script = new ShellScript();
  script.add(sh`#!/bin/bash
# ${fullName}: runs ${p.imageUri} as the systemd service ${svc}.
# AWS credentials come from the instance role at run time; nothing secret is written here.
set -euo pipefail

install -d -m 0755 /etc/${svc}
IMDS_TOKEN="$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')"
INSTANCE_ID="$(curl -sf -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" http://169.254.169.254/latest/meta-data/instance-id)"
echo "INSTANCE_ID=$INSTANCE_ID" > /etc/${svc}/unit.env

cat > /etc/${svc}/container.env <<'EOF'
AWS_DEFAULT_REGION=${p.region}
PORT=${p.port}
`);
  for (const [key, value] of Object.entries(p.environment)) script.add(sh`${key}=${value}\n`);
  script.add(sh`EOF

cat > /usr/local/bin/${svc}-prepare <<'EOF'
#!/bin/bash
# Before every start: a fresh ECR login (tokens last 12 hours), the image, current secrets.
set -euo pipefail
REGION="${p.region}"
IMAGE="${p.imageUri}"
REGISTRY="$(echo "$IMAGE" | cut -d/ -f1)"
aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY"
docker pull "$IMAGE"
install -d -m 0700 /run/${svc}
umask 077
SECRETS=/run/${svc}/secrets.env
: > "$SECRETS"
secret() {
  local value
  value="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$2" --query SecretString --output text)"
  if [ -n "$3" ]; then
    value="$(printf '%s' "$value" | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$3")"
  fi
  printf '%s=%s\\n' "$1" "$value" >> "$SECRETS"
}
`);
  for (const [key, s] of Object.entries(p.secrets))
    script.add(sh`secret ${key} "${s.secretArn}" "${s.jsonKey ?? ''}"\n`);
  script.add(sh`EOF
chmod 0755 /usr/local/bin/${svc}-prepare

cat > /etc/systemd/system/${svc}.service <<'EOF'
[Unit]
Description=${fullName} GPU server
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service

[Service]
EnvironmentFile=/etc/${svc}/unit.env
Restart=always
RestartSec=10
TimeoutStartSec=900
ExecStartPre=/usr/local/bin/${svc}-prepare
ExecStartPre=-/usr/bin/docker rm -f ${svc}
# systemd.service(5), Command lines: $VAR expands only as a whole word; inside a word it must be \${VAR}.
ExecStart=/usr/bin/docker run --rm --name ${svc} --gpus all -p ${p.port}:${p.port} --add-host ${DOCKER_HOST_ALIAS}:host-gateway --env-file /etc/${svc}/container.env --env-file /run/${svc}/secrets.env --log-driver awslogs --log-opt awslogs-region=${p.region} --log-opt awslogs-group=/ec2/${fullName} --log-opt awslogs-stream=\${INSTANCE_ID} ${p.imageUri}
${p.drainTimeoutSeconds > 0 ? `TimeoutStopSec=${p.drainTimeoutSeconds + 30}\n` : ''}ExecStop=/usr/bin/docker stop ${p.drainTimeoutSeconds > 0 ? `-t ${p.drainTimeoutSeconds} ` : ''}${svc}

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload

# The CloudWatch agent (GPU, memory and disk metrics per Auto Scaling group, the containers' traces)
# and any termination watcher start before the service, whatever its first start does: the service
# retries a failed image pull on its own (Restart=always), and meanwhile the host is measured and watched.
AGENT=/opt/aws/amazon-cloudwatch-agent
if [ ! -x "$AGENT/bin/amazon-cloudwatch-agent-ctl" ]; then
  curl -sfo /tmp/amazon-cloudwatch-agent.deb "https://amazoncloudwatch-agent-${p.region}.s3.${p.region}.amazonaws.com/ubuntu/amd64/latest/amazon-cloudwatch-agent.deb" && dpkg -i -E /tmp/amazon-cloudwatch-agent.deb || echo "CloudWatch agent not installed" >&2
fi
if [ -x "$AGENT/bin/amazon-cloudwatch-agent-ctl" ]; then
  cat > "$AGENT/etc/${svc}.json" <<'EOF'
${JSON.stringify(agentConfig(GPU_AGENT_NAMESPACE), null, 2)}
EOF
  "$AGENT/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s -c "file:$AGENT/etc/${svc}.json" || echo "CloudWatch agent not started" >&2
fi
`);
  if (p.drainTimeoutSeconds > 0) {
    const watcher = drainWatcherScript({
      service: svc,
      groupName: fullName,
      hookName: drainHookName(fullName),
      region: p.region,
    });
    script.add(sh`${watcher}`);
  }
  // --no-block (systemctl(1)): queue the start and return. Waiting for it would end this script
  // under set -e when ExecStartPre fails (say, the first image pull).
  script.add(sh`
systemctl enable --now --no-block ${svc}.service
`);
  return script;
}
