/**
 * Source of the distribution's two viewer-request CloudFront Functions (runtime cloudfront-js-2.0).
 * Kept as plain script text (a top-level `function handler(event)`, `var` only, no modules) so it
 * runs unchanged in CloudFront and can be evaluated in Node by the unit tests.
 */

/**
 * Default behavior (frontend bucket): maps the extension-less routes of the Next.js static export
 * onto the files it writes. Without `trailingSlash`, `next build` emits `about.html` for `/about`,
 * so `/about` becomes `/about.html`; a path ending in `/` is a directory and gets `index.html`
 * (`/` -> `/index.html`, `/docs/` -> `/docs/index.html`). A last segment that contains a dot
 * (`/_next/static/x.js`, `/favicon.ico`, `/about.html`) names a file and is left alone.
 */
export const FRONTEND_REWRITE_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '' || uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = uri + '.html';
  }
  return request;
}
`;

/**
 * `/videos/*` behavior (video bucket): `/videos/<key>` -> `/rendered/<key>`, the only prefix the
 * bucket policy lets CloudFront read. Keys with `.` or `..` segments (also percent-encoded), empty
 * segments, backslashes or broken escapes are refused with 400 before they reach S3, and a request
 * without a key gets 404.
 */
export const VIDEOS_REWRITE_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var prefix = '/videos/';
  if (uri.indexOf(prefix) !== 0 || uri.length === prefix.length) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  var key = uri.substring(prefix.length);
  var decoded;
  try {
    decoded = decodeURIComponent(key);
  } catch (e) {
    return { statusCode: 400, statusDescription: 'Bad Request' };
  }
  if (decoded.indexOf('\\\\') !== -1) {
    return { statusCode: 400, statusDescription: 'Bad Request' };
  }
  var segments = decoded.split('/');
  for (var i = 0; i < segments.length; i++) {
    if (segments[i] === '' || segments[i] === '.' || segments[i] === '..') {
      return { statusCode: 400, statusDescription: 'Bad Request' };
    }
  }
  request.uri = '/rendered/' + key;
  return request;
}
`;
