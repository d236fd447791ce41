import { createServer, type Server } from 'node:http';

/** One object of the fake: its class and whether a restore of it has completed. */
export interface FakeObject {
  readonly storageClass: 'STANDARD' | 'GLACIER_IR' | 'GLACIER';
  readonly body: string;
  restored?: boolean;
}

/** A RestoreObject request the fake received. */
export interface RestoreRequest {
  readonly bucket: string;
  readonly key: string;
  readonly body: string;
}

/** Just enough of the S3 REST API, path-style, on 127.0.0.1, for `aws s3 sync` and `aws s3api`. */
export interface FakeS3 {
  readonly endpoint: string;
  /** Objects by bucket, then key. */
  readonly buckets: Map<string, Map<string, FakeObject>>;
  readonly restores: RestoreRequest[];
  stop(): Promise<void>;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const etag = (s: string) => `"${Buffer.from(s).toString('hex').slice(0, 32).padEnd(32, '0')}"`;
const MODIFIED = '2025-01-01T00:00:00.000Z';

/**
 * ListBuckets, ListObjectsV2 (with StorageClass, as S3 lists it: no restore status), CopyObject
 * (InvalidObjectState from an unrestored GLACIER source, as S3 answers), RestoreObject (completes
 * at once) and HeadObject. Keys are answered URL-encoded when the client asks (botocore does).
 */
export function startFakeS3(): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, FakeObject>>();
  const restores: RestoreRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [, bucketName, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const bucket = buckets.get(decodeURIComponent(bucketName ?? ''));
      const reply = (status: number, body = '', headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/xml', ...headers });
        res.end(body);
      };
      const error = (status: number, code: string) =>
        reply(status, xml(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`));
      if (!bucketName) {
        const names = [...buckets.keys()].map(
          (n) => `<Bucket><Name>${n}</Name><CreationDate>${MODIFIED}</CreationDate></Bucket>`,
        );
        return reply(
          200,
          xml(`<ListAllMyBucketsResult><Buckets>${names.join('')}</Buckets></ListAllMyBucketsResult>`),
        );
      }
      if (!bucket) return error(404, 'NoSuchBucket');
      if (req.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const encode = url.searchParams.get('encoding-type') === 'url';
        const contents = [...bucket.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([k, o]) =>
              `<Contents><Key>${escape(encode ? encodeURIComponent(k) : k)}</Key><LastModified>${MODIFIED}</LastModified>` +
              `<ETag>${etag(o.body)}</ETag><Size>${o.body.length}</Size><StorageClass>${o.storageClass}</StorageClass></Contents>`,
          );
        return reply(
          200,
          xml(
            `<ListBucketResult><Name>${bucketName}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount>` +
              `<MaxKeys>1000</MaxKeys>${encode ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`,
          ),
        );
      }
      if (req.method === 'POST' && url.searchParams.has('restore')) {
        const object = bucket.get(key);
        if (!object) return error(404, 'NoSuchKey');
        restores.push({ bucket: bucketName, key, body: Buffer.concat(chunks).toString('utf8') });
        object.restored = true;
        return reply(202);
      }
      if (req.method === 'PUT' && req.headers['x-amz-copy-source']) {
        const source = decodeURIComponent(String(req.headers['x-amz-copy-source']).replace(/^\//, ''));
        const [sourceBucket, ...sourceKey] = source.split('/');
        const object = buckets.get(sourceBucket)?.get(sourceKey.join('/'));
        if (!object) return error(404, 'NoSuchKey');
        if (object.storageClass === 'GLACIER' && !object.restored) return error(403, 'InvalidObjectState');
        bucket.set(key, { storageClass: 'STANDARD', body: object.body });
        return reply(
          200,
          xml(
            `<CopyObjectResult><LastModified>${MODIFIED}</LastModified><ETag>${etag(object.body)}</ETag></CopyObjectResult>`,
          ),
        );
      }
      if (req.method === 'HEAD') {
        const object = bucket.get(key);
        if (!object) return reply(404);
        return reply(200, '', {
          'content-length': String(object.body.length),
          etag: etag(object.body),
          'last-modified': new Date(MODIFIED).toUTCString(),
          'x-amz-storage-class': object.storageClass,
          ...(object.restored
            ? { 'x-amz-restore': 'ongoing-request="false", expiry-date="Fri, 01 Jan 2100 00:00:00 GMT"' }
            : {}),
        });
      }
      return error(501, 'NotImplemented');
    });
  });
  return new Promise((resolveStarted) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolveStarted({
        endpoint: `http://127.0.0.1:${port}`,
        buckets,
        restores,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
