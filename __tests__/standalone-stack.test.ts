import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Fn, S3Backend, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { resolve } from 'node:path';
import { PlatformStack } from '../src/stacks/platform-stack';
import { StandaloneStack } from '../src/stacks/standalone-stack';
import { StateBackendStack } from '../src/stacks/state-backend-stack';
import { synthesizeInProcess } from '../src/tools/synth';

const projectDir = resolve(__dirname, '..');

/** The same synth with cdktf's own prepareStack (the preparing resolve of every element). */
function withCdktfPrepare<T>(run: () => T): T {
  const spy = vi.spyOn(StandaloneStack.prototype, 'prepareStack').mockImplementation(function (
    this: StandaloneStack,
  ) {
    TerraformStack.prototype.prepareStack.call(this);
  });
  try {
    return run();
  } finally {
    spy.mockRestore();
  }
}

/** The same synth with cdktf's own toTerraform (the second resolve of the merged document). */
function withCdktfToTerraform<T>(run: () => T): T {
  const spy = vi.spyOn(StandaloneStack.prototype, 'toTerraform').mockImplementation(function (
    this: StandaloneStack,
  ) {
    return TerraformStack.prototype.toTerraform.call(this);
  });
  try {
    return run();
  } finally {
    spy.mockRestore();
  }
}

describe('StandaloneStack', () => {
  it('is what every stack of the app is', () => {
    expect(Object.getPrototypeOf(PlatformStack)).toBe(StandaloneStack);
    expect(Object.getPrototypeOf(StateBackendStack)).toBe(StandaloneStack);
  });

  // Settings that add resources and backend arguments: the domain and the S3 lock file.
  it.each([
    ['the cdktf.json settings', {}],
    [
      'a domain and the S3 lock file',
      {
        ECG_DOMAIN_NAME: 'example.com',
        ECG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
        ECG_USE_LOCKFILE: 'true',
      },
    ],
  ])('synthesizes with %s exactly what cdktf’s own prepareStack and toTerraform give', (_, env) => {
    const own = synthesizeInProcess(projectDir, env);
    const cdktf = withCdktfPrepare(() => withCdktfToTerraform(() => synthesizeInProcess(projectDir, env)));
    expect(own.map((s) => s.id)).toEqual(['state-backend', 'staging', 'production']);
    expect(own).toEqual(cdktf);
  });

  // Stack overrides are merged after every element is resolved, so they are the one place a token
  // can remain: in a block of their own, inside an element's block, or removing a key (undefined).
  it('resolves the tokens of stack overrides as cdktf’s own toTerraform does', () => {
    const stack = new StandaloneStack(Testing.app(), 'overrides');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
    const logs = new S3Bucket(stack, 'logs', { bucket: 'logs', tags: { team: 'video' } });
    new S3Bucket(stack, 'copy', { bucket: 'copy' });
    new TerraformOutput(stack, 'arn', { value: logs.arn });
    stack.addOverride('locals.logs_arn', logs.arn);
    stack.addOverride('resource.aws_s3_bucket.copy.tags.source', Fn.upper(logs.bucket));
    stack.addOverride('resource.aws_s3_bucket.logs.tags.team', undefined);
    stack.prepareStack();
    const own = stack.toTerraform() as {
      locals: object;
      resource: { aws_s3_bucket: Record<string, { tags?: object }> };
    };
    expect(own.locals).toEqual({ logs_arn: '${aws_s3_bucket.logs.arn}' });
    expect(own.resource.aws_s3_bucket.copy.tags).toEqual({ source: '${upper(aws_s3_bucket.logs.bucket)}' });
    expect(own.resource.aws_s3_bucket.logs.tags).toEqual({});
    expect(own).toStrictEqual(TerraformStack.prototype.toTerraform.call(stack));
  });

  it('still gives a stack without a backend the local one, as cdktf does', () => {
    const stack = new StandaloneStack(Testing.app(), 'bare');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
    stack.prepareStack();
    expect((stack.toTerraform() as { terraform: { backend: object } }).terraform.backend).toEqual({
      local: { path: expect.stringMatching(/terraform\.bare\.tfstate$/) },
    });
  });

  // Why the app's stacks may skip the preparing pass, and what it would cost to break the rule:
  // a reference into another stack is not turned into remote state; it stays an address the
  // consuming stack does not declare, which terraform plan refuses ("Reference to undeclared
  // resource"). The offline plans of both platform stacks would fail on it.
  it('leaves a cross-stack reference as an undeclared address instead of adding remote state', () => {
    const build = () => {
      const app = new App({ outdir: Testing.app().outdir, skipValidation: true });
      const producer = new StandaloneStack(app, 'producer');
      new AwsProvider(producer, 'aws', { region: 'ap-northeast-2' });
      new S3Backend(producer, { bucket: 'state', key: 'producer', region: 'ap-northeast-2' });
      const bucket = new S3Bucket(producer, 'logs', { bucket: 'logs' });
      const consumer = new StandaloneStack(app, 'consumer');
      new AwsProvider(consumer, 'aws', { region: 'ap-northeast-2' });
      new S3Backend(consumer, { bucket: 'state', key: 'consumer', region: 'ap-northeast-2' });
      new TerraformOutput(consumer, 'logs', { value: bucket.arn });
      app.synth();
      return consumer.toTerraform() as { data?: object; output: Record<string, { value: string }> };
    };
    const own = build();
    expect(own.data).toBeUndefined();
    expect(own.output.logs.value).toBe('${aws_s3_bucket.logs.arn}');
    const cdktf = withCdktfPrepare(build);
    expect(cdktf.data).toHaveProperty('terraform_remote_state');
  });
});
