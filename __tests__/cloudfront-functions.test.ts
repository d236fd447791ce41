import { Script, createContext } from 'node:vm';
import {
  FRONTEND_REWRITE_FUNCTION_CODE,
  VIDEOS_REWRITE_FUNCTION_CODE,
} from '../src/modules/cloudfront-functions';

interface ViewerRequest {
  uri: string;
  method: string;
  querystring: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
}
type Handler = (event: { request: ViewerRequest }) => ViewerRequest | { statusCode: number };

/** Evaluates the function source as a classic script in a fresh context, as CloudFront does. */
function load(code: string): Handler {
  const context = createContext({});
  new Script(code, { filename: 'cloudfront-function.js' }).runInContext(context);
  return context.handler as Handler;
}

/** Runs the handler on a viewer request for `uri`: the rewritten uri, or `<status>` when it answers. */
function run(handler: Handler, uri: string): string {
  const request: ViewerRequest = { uri, method: 'GET', querystring: {}, headers: {}, cookies: {} };
  const result = handler({ request });
  return 'statusCode' in result ? `<${result.statusCode}>` : result.uri;
}

describe.each([
  ['frontend', FRONTEND_REWRITE_FUNCTION_CODE],
  ['videos', VIDEOS_REWRITE_FUNCTION_CODE],
])('%s function source', (_name, code) => {
  it('is a classic script defining handler(event), without modules or newer syntax', () => {
    expect(code).toMatch(/^function handler\(event\) \{/);
    expect(code).not.toMatch(/\b(import|export|require|const|class)\b|=>|`/);
    expect(typeof load(code)).toBe('function');
  });

  it('fits the 10 KB CloudFront Functions size limit', () => {
    expect(Buffer.byteLength(code, 'utf8')).toBeLessThan(10 * 1024);
  });
});

describe('frontend rewrite function', () => {
  const handler = load(FRONTEND_REWRITE_FUNCTION_CODE);

  it.each([
    ['/', '/index.html'],
    ['', 'index.html'],
    ['/about', '/about.html'],
    ['/about/', '/about/index.html'],
    ['/blog/post-1', '/blog/post-1.html'],
    ['/blog/post-1/', '/blog/post-1/index.html'],
    ['/index', '/index.html'],
    ['/_next/static/x.js', '/_next/static/x.js'],
    ['/_next/static/css/app.css', '/_next/static/css/app.css'],
    ['/favicon.ico', '/favicon.ico'],
    ['/about.html', '/about.html'],
    ['/index.html', '/index.html'],
    ['/404.html', '/404.html'],
    ['/v1.2/notes', '/v1.2/notes.html'],
    ['/images/logo.svg', '/images/logo.svg'],
  ])('%s -> %s', (uri, expected) => {
    expect(run(handler, uri)).toBe(expected);
  });

  it('leaves the rest of the request untouched', () => {
    const request: ViewerRequest = {
      uri: '/about',
      method: 'GET',
      querystring: { ref: { value: 'x' } },
      headers: { host: { value: 'example.cloudfront.net' } },
      cookies: {},
    };
    expect(handler({ request })).toEqual({ ...request, uri: '/about.html' });
  });
});

describe('videos rewrite function', () => {
  const handler = load(VIDEOS_REWRITE_FUNCTION_CODE);

  it.each([
    ['/videos/a.mp4', '/rendered/a.mp4'],
    ['/videos/a/b.mp4', '/rendered/a/b.mp4'],
    ['/videos/2024/06/01/ecg-123.mp4', '/rendered/2024/06/01/ecg-123.mp4'],
    ['/videos/with%20space.mp4', '/rendered/with%20space.mp4'],
    ['/videos/name.with.dots.mp4', '/rendered/name.with.dots.mp4'],
    ['/videos/..hidden.mp4', '/rendered/..hidden.mp4'],
    ['/videos/', '<404>'],
    ['/other/a.mp4', '<404>'],
    ['/videos/../uploads/raw.mp4', '<400>'],
    ['/videos/a/../../uploads/raw.mp4', '<400>'],
    ['/videos/a/..', '<400>'],
    ['/videos/./a.mp4', '<400>'],
    ['/videos/%2e%2e/uploads/raw.mp4', '<400>'],
    ['/videos/%2E%2E%2Fuploads%2Fraw.mp4', '<400>'],
    ['/videos/a//b.mp4', '<400>'],
    ['/videos/a/', '<400>'],
    ['/videos/a%5C..%5Cb.mp4', '<400>'],
    ['/videos/%E0%A4%A.mp4', '<400>'],
  ])('%s -> %s', (uri, expected) => {
    expect(run(handler, uri)).toBe(expected);
  });

  it('answers refusals itself with a status description', () => {
    const request: ViewerRequest = {
      uri: '/videos/../x',
      method: 'GET',
      querystring: {},
      headers: {},
      cookies: {},
    };
    expect(handler({ request })).toEqual({ statusCode: 400, statusDescription: 'Bad Request' });
  });
});
