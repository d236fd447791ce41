/** Cost lines, by service. Storage: S3 (and its replica in the second region) and ECR. */
import { asArray, plural, type Pricer } from '../pricing';

/** S3 storage and requests (the usage assumptions, for all buckets together). */
export function priceBuckets(p: Pricer): void {
  const { a, of, add } = p;
  const buckets = of('aws_s3_bucket');
  if (buckets.length > 0) {
    const across = `across ${plural(buckets.length, 'bucket')}`;
    add({
      key: 's3-standard',
      category: 'Storage',
      item: 'S3 Standard storage',
      basis: `${a.s3StandardGb} GB ${across} (assumption)`,
      quantity: a.s3StandardGb,
      unit: 'GB-month',
      priceKey: 's3.standard.gbMonth',
    });
    if (a.s3GlacierGb > 0) {
      add({
        key: 's3-glacier',
        category: 'Storage',
        item: 'S3 Glacier Flexible Retrieval storage',
        basis: `${a.s3GlacierGb} GB moved by lifecycle rules (assumption)`,
        quantity: a.s3GlacierGb,
        unit: 'GB-month',
        priceKey: 's3.glacierFlexible.gbMonth',
      });
    }
    add({
      key: 's3-put-requests',
      category: 'Storage',
      item: 'S3 PUT, COPY, POST, LIST requests',
      basis: `${a.s3PutRequestsThousands}k requests (assumption)`,
      quantity: a.s3PutRequestsThousands,
      unit: '1k requests',
      priceKey: 's3.requests.tier1.thousand',
    });
    add({
      key: 's3-get-requests',
      category: 'Storage',
      item: 'S3 GET requests',
      basis: `${a.s3GetRequestsThousands}k requests (assumption)`,
      quantity: a.s3GetRequestsThousands,
      unit: '1k requests',
      priceKey: 's3.requests.tier2.thousand',
    });
  }
}

/** The video replica in the second region: transfer, Replication Time Control, replica storage. */
export function priceBucketReplication(p: Pricer): void {
  const { a, of, add } = p;
  for (const [, replication] of of('aws_s3_bucket_replication_configuration')) {
    const rules = asArray(replication.rule);
    const rtc = rules.some((r) => asArray(asArray(r.destination)[0]?.replication_time).length > 0);
    add({
      key: 's3-replication-transfer',
      category: 'Storage',
      item: 'S3 replication: transfer to the second region',
      basis: `${a.replicatedGb} GB of new videos (assumption)`,
      quantity: a.replicatedGb,
      unit: 'GB',
      priceKey: 'dataTransfer.interRegion.gb',
    });
    if (rtc) {
      add({
        key: 's3-replication-rtc',
        category: 'Storage',
        item: 'S3 Replication Time Control',
        basis: `${a.replicatedGb} GB replicated under the 15-minute SLA (assumption)`,
        quantity: a.replicatedGb,
        unit: 'GB',
        priceKey: 's3.rtc.gb',
      });
    }
    add({
      key: 's3-replica-standard',
      category: 'Storage',
      item: 'S3 replica storage, Standard (second region)',
      basis: `${a.replicaStorageGb.standard} GB (assumption)`,
      quantity: a.replicaStorageGb.standard,
      unit: 'GB-month',
      priceKey: 'dr.s3.standard.gbMonth',
    });
    add({
      key: 's3-replica-glacier',
      category: 'Storage',
      item: 'S3 replica storage, Glacier Flexible Retrieval (second region)',
      basis: `${a.replicaStorageGb.glacier} GB moved by the replica's lifecycle (assumption)`,
      quantity: a.replicaStorageGb.glacier,
      unit: 'GB-month',
      priceKey: 'dr.s3.glacierFlexible.gbMonth',
    });
  }
}

/** ECR image storage. */
export function priceRepositories(p: Pricer): void {
  const { a, of, add } = p;
  const repositories = of('aws_ecr_repository');
  if (repositories.length > 0) {
    add({
      key: 'ecr-storage',
      category: 'Storage',
      item: 'ECR image storage',
      basis: `${a.ecrStorageGb} GB across ${plural(repositories.length, 'repository', 'repositories')} (assumption)`,
      quantity: a.ecrStorageGb,
      unit: 'GB-month',
      priceKey: 'ecr.storage.gbMonth',
    });
  }
}
