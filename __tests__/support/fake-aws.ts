import { createServer, type Server } from 'node:http';

/** One AWS JSON-protocol call the fake received. */
export interface AwsCall {
  /** `X-Amz-Target`, e.g. `secretsmanager.GetSecretValue`. */
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** A stand-in for the Secrets Manager and CloudWatch JSON APIs on 127.0.0.1. */
export interface FakeAws {
  readonly endpoint: string;
  readonly calls: AwsCall[];
  /** Secret string by secret id. */
  readonly secrets: Map<string, string>;
  stop(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  secretsmanager: 'application/x-amz-json-1.1',
  GraniteServiceVersion20100801: 'application/x-amz-json-1.0',
};

/**
 * Answers GetSecretValue from `secrets` and accepts PutMetricData (CloudWatch's JSON 1.0
 * protocol, which @aws-sdk/client-cloudwatch speaks), recording every call.
 */
export function startFakeAws(): Promise<FakeAws> {
  const calls: AwsCall[] = [];
  const secrets = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      const [service, operation] = target.split('.');
      const reply = (status: number, payload: object) => {
        res.writeHead(status, { 'content-type': CONTENT_TYPES[service] ?? 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (operation === 'GetSecretValue') {
        const value = secrets.get(String(body.SecretId));
        if (value === undefined) {
          reply(400, { __type: 'ResourceNotFoundException', message: `no secret ${body.SecretId}` });
        } else {
          reply(200, { ARN: body.SecretId, Name: 'auth-token', SecretString: value });
        }
      } else if (operation === 'PutMetricData') {
        reply(200, {});
      } else {
        reply(400, { __type: 'UnknownOperationException', message: target });
      }
    });
  });
  return new Promise((resolveStarted) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolveStarted({
        endpoint: `http://127.0.0.1:${port}`,
        calls,
        secrets,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
