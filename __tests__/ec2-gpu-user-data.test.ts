import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from 'cdktf';
import { bootstrapScript, ShellScript } from '../src/modules/ec2-gpu-user-data';

const stack = new TerraformStack(Testing.app(), 'user-data');
new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
const bucket = new S3Bucket(stack, 'b', { bucket: 'b' });
const resolver = new DefaultTokenResolver(new StringConcat());
const resolved = (value: string) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver });

// ShellScript.base64 is the launch template's user_data: a Terraform expression once the script
// holds a reference, so each text part must reach the instance exactly as written.
describe('ShellScript', () => {
  it('encodes a script of text alone here, as base64 of the text', () => {
    const script = new ShellScript().add([{ literal: 'a\n' }, { literal: 'b' }]);
    expect(script.base64()).toBe('YQpi');
    expect(script.text()).toBe('a\nb');
  });

  it('joins text and references in order, one text part between two references', () => {
    const script = new ShellScript().add([
      { literal: 'x' },
      { token: bucket.arn },
      { literal: 'y' },
      { literal: 'z' },
      { token: bucket.id },
      { literal: 'end' },
    ]);
    expect(resolved(script.base64())).toBe(
      '${base64encode(join("", ["x", aws_s3_bucket.b.arn, "yz", aws_s3_bucket.b.id, "end"]))}',
    );
  });

  it('adds no empty text part before, between or after references', () => {
    const script = new ShellScript().add([
      { literal: '' },
      { token: bucket.arn },
      { literal: '' },
      { token: bucket.id },
      { literal: '' },
    ]);
    expect(resolved(script.base64())).toBe(
      '${base64encode(join("", [aws_s3_bucket.b.arn, aws_s3_bucket.b.id]))}',
    );
  });

  // Terraform string literals: `\\` is a backslash, `%%{` a literal `%{`, `$${` a literal `${`.
  it('escapes backslashes, template directives, interpolations, quotes and line breaks of the text', () => {
    const script = new ShellScript().add([{ token: bucket.arn }, { literal: 'a\\b %{if} ${x} "q"\n' }]);
    expect(resolved(script.base64())).toBe(
      '${base64encode(join("", [aws_s3_bucket.b.arn, "a\\\\b %%{if} $${x} \\"q\\"\\n"]))}',
    );
  });

  it('keeps a reference inside an interpolated value a reference, with the text around it as text', () => {
    const script = bootstrapScript(
      {
        name: 'gpu',
        imageUri: `${bucket.bucket}.example/app:v1`,
        region: 'ap-northeast-2',
        port: 8080,
        environment: {},
        secrets: {},
        drainTimeoutSeconds: 0,
      },
      'p-e-gpu',
    );
    const expression = resolved(script.base64()) as string;
    // The image is named three times: the header comment, IMAGE=, and the unit's docker run.
    expect(expression.split('", aws_s3_bucket.b.bucket, ".example/app:v1').length - 1).toBe(3);
    expect(expression.split('aws_s3_bucket.b.bucket').length - 1).toBe(3);
    expect(expression).not.toContain('TfToken');
  });
});
