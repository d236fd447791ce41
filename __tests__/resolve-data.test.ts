import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DefaultTokenResolver,
  Lazy,
  StringConcat,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from 'cdktf';
import { resolve } from 'cdktf/lib/tokens/private/resolve';
import { resolveData } from '../src/stacks/resolve-data';

const stack = new TerraformStack(Testing.app(), 'resolve');
new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
const bucket = new S3Bucket(stack, 'b', { bucket: 'b' });
const resolver = new DefaultTokenResolver(new StringConcat());

/** cdktf's own resolve, as StandaloneStack calls it. */
function cdktf(value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver });
}

/** resolveData with cdktf's resolve for tokens, and what it handed to cdktf. */
function ours(value: unknown): { result: unknown; handed: unknown[]; paths: string[] } {
  const handed: unknown[] = [];
  const paths: string[] = [];
  const result = resolveData(value, (part, prefix) => {
    handed.push(part);
    paths.push(prefix.join('/'));
    return resolve(part, { scope: stack, preparing: false, resolver, prefix: [...prefix] });
  });
  return { result, handed, paths };
}

function cyclic(): object {
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  return { loop };
}

describe('resolveData', () => {
  it('copies token-free data itself, without undefined values, never calling cdktf', () => {
    const value = {
      name: 'video-staging',
      count: 3,
      ratio: -0.5,
      big: 1e150,
      on: true,
      off: false,
      none: null,
      missing: undefined,
      list: ['a', 1, undefined, false, null, { nested: 'x', gone: undefined }],
      empty: {},
      emptyList: [],
      $ref: 'plain $ and } alone',
    };
    const { result, handed } = ours(value);
    expect(handed).toEqual([]);
    expect(result).toEqual({
      name: 'video-staging',
      count: 3,
      ratio: -0.5,
      big: 1e150,
      on: true,
      off: false,
      none: null,
      list: ['a', 1, false, null, { nested: 'x' }],
      empty: {},
      emptyList: [],
      $ref: 'plain $ and } alone',
    });
    expect(Object.keys(result as object)).not.toContain('missing');
    expect(result).toEqual(cdktf(value));
  });

  it('returns a copy, so merging into the result never edits the element’s own objects', () => {
    const inner = { a: 'b' };
    const list = [inner];
    const { result } = ours({ inner, list });
    const copy = result as { inner: object; list: object[] };
    expect(copy.inner).not.toBe(inner);
    expect(copy.list).not.toBe(list);
    expect(copy.list[0]).not.toBe(inner);
  });

  it('hands a string with a token to cdktf and keeps the plain strings beside it', () => {
    const { result, handed, paths } = ours({ arn: bucket.arn, name: 'b', policy: `arn=${bucket.arn};` });
    expect(result).toEqual({
      arn: '${aws_s3_bucket.b.arn}',
      name: 'b',
      policy: 'arn=${aws_s3_bucket.b.arn};',
    });
    expect(handed).toHaveLength(2);
    expect(paths).toEqual(['arn', 'policy']);
  });

  it('names the path of each value it hands to cdktf, list indexes counting undefined ones', () => {
    const { paths } = ours({ a: [undefined, { b: [bucket.arn] }], c: { d: bucket.bucket } });
    expect(paths).toEqual(['a/1/b', 'c/d']);
  });

  it.each([
    ['a Terraform expression written out (an escape)', '${var.region}'],
    ['a brace with no token', 'a{b}'],
    ['a number in exponent form', 'scale 2e3'],
    ['the map token placeholder of strings', Token.STRING_MAP_TOKEN_VALUE],
    ['the map token placeholder of any value', Token.ANY_MAP_TOKEN_VALUE],
  ])('hands %s to cdktf', (_, value) => {
    const handed: unknown[] = [];
    const run = () =>
      resolveData(value, (part) => {
        handed.push(part);
        return cdktf(part);
      });
    // The root value has no path: what cdktf's own resolve of it would say.
    let expected: unknown;
    try {
      expected = cdktf(value);
    } catch (error) {
      expect(run).toThrow((error as Error).message);
      expect(handed).toEqual([value]);
      return;
    }
    expect(run()).toEqual(expected);
    expect(handed).toEqual([value]);
  });

  it('resolves a number token written into a string (its decimal form holds "e+")', () => {
    const port = Token.asNumber(bucket.getStringAttribute('object_lock_enabled'));
    const { result, handed } = ours({ text: `port ${port}` });
    expect(String(port)).toMatch(/\de\+/);
    expect(result).toEqual({ text: 'port ${aws_s3_bucket.b.object_lock_enabled}' });
    expect(handed).toEqual([`port ${port}`]);
  });

  it('resolves a number token and keeps plain numbers as they are', () => {
    const size = Token.asNumber(bucket.getNumberAttribute('size'));
    expect(ours({ size, plain: 5 }).result).toEqual({ size: '${aws_s3_bucket.b.size}', plain: 5 });
    expect(ours({ size }).handed).toEqual([size]);
  });

  it('hands a whole list to cdktf when one element is a list token', () => {
    const names = Token.asList(bucket.getListAttribute('names'));
    const numbers = Token.asNumberList(bucket.getListAttribute('sizes'));
    expect(ours({ names }).result).toEqual({ names: '${aws_s3_bucket.b.names}' });
    expect(ours({ names }).handed).toEqual([names]);
    expect(ours({ numbers }).result).toEqual({ numbers: '${aws_s3_bucket.b.sizes}' });
    expect(ours({ numbers }).handed).toEqual([numbers]);
  });

  it('hands an object with a map-token key, a lazy value and a resolvable literal to cdktf', () => {
    const tags = Token.asStringMap(bucket.getStringMapAttribute('tags_all'));
    const lazy = Lazy.stringValue({ produce: () => 'late' });
    const literal = { resolve: () => 'from resolve' };
    const { result, handed } = ours({ tags, lazy, literal });
    expect(result).toEqual({ tags: '${aws_s3_bucket.b.tags_all}', lazy: 'late', literal: 'from resolve' });
    expect(handed).toEqual([tags, lazy, literal]);
  });

  it('keeps a Date and resolves it as cdktf does', () => {
    const when = new Date(0);
    expect(ours({ when }).result).toEqual(cdktf({ when }));
    expect(ours({ when }).handed).toEqual([when]);
  });

  it.each([
    ['a function', { f: () => 1 }],
    ['a construct', { c: bucket }],
    ['the map token placeholder of numbers', { n: Token.NUMBER_MAP_TOKEN_VALUE }],
    ['a cyclic object', cyclic()],
  ])('fails as cdktf does on %s', (_, value) => {
    expect(() => cdktf(value)).toThrow();
    const message = (() => {
      try {
        cdktf(value);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(() => ours(value)).toThrow(message);
  });
});
