/** Cost lines, by service. Data stores: RDS (and its backups in the second region) and ElastiCache. */
import { construct, plural, type Pricer } from '../pricing';

/** Performance Insights' free tier: the last 7 days of history. */
const PERFORMANCE_INSIGHTS_FREE_DAYS = 7;

/** RDS instances, their storage and Performance Insights; returns the RDS-managed master passwords (secrets). */
export function priceDatabases(p: Pricer): number {
  const { H, of, add, str, num, notes, book } = p;
  let managedPasswords = 0;
  for (const [name, db] of of('aws_db_instance')) {
    const where = `aws_db_instance.${name}`;
    const engine = str(db.engine, `${where}.engine`);
    const cls = str(db.instance_class, `${where}.instance_class`);
    const multiAz = db.multi_az === true;
    const id = construct(name);
    const multiKey = `rds.${engine}.multiAz.${cls}`;
    if (multiAz && book.has(multiKey)) {
      add({
        key: `rds-instance:${id}`,
        category: 'Database',
        item: `RDS ${engine} instance (${id})`,
        basis: `${cls} Multi-AZ x ${H} h`,
        quantity: H,
        unit: 'h',
        priceKey: multiKey,
      });
    } else {
      add({
        key: `rds-instance:${id}`,
        category: 'Database',
        item: `RDS ${engine} instance (${id})`,
        basis: multiAz ? `${cls} x 2 (Multi-AZ primary and standby) x ${H} h` : `${cls} Single-AZ x ${H} h`,
        quantity: (multiAz ? 2 : 1) * H,
        unit: 'h',
        priceKey: `rds.${engine}.${cls}`,
      });
    }
    const storageGb = num(db.allocated_storage, `${where}.allocated_storage`);
    const storageType = str(db.storage_type ?? 'gp2', `${where}.storage_type`);
    add({
      key: `rds-storage:${id}`,
      category: 'Database',
      item: `RDS storage ${storageType} (${id})`,
      basis: multiAz ? `${storageGb} GB x 2 (Multi-AZ)` : `${storageGb} GB`,
      quantity: storageGb * (multiAz ? 2 : 1),
      unit: 'GB-month',
      priceKey: `rds.storage.${storageType}.gbMonth`,
    });
    if (db.performance_insights_enabled === true) {
      const days = num(
        db.performance_insights_retention_period ?? PERFORMANCE_INSIGHTS_FREE_DAYS,
        `${where}.pi`,
      );
      if (days <= PERFORMANCE_INSIGHTS_FREE_DAYS) {
        add({
          key: `rds-performance-insights:${id}`,
          category: 'Database',
          item: `Performance Insights (${id})`,
          basis: `${days}-day retention: free tier`,
          quantity: 1,
          unit: 'instance',
          priceKey: 'free',
        });
      } else {
        notes.push(`${id}: Performance Insights kept ${days} days is billed per vCPU and not priced here`);
      }
    }
    if (db.manage_master_user_password === true) managedPasswords++;
    const maxStorage = db.max_allocated_storage;
    if (typeof maxStorage === 'number' && maxStorage > storageGb) {
      notes.push(
        `${id}: storage autoscaling may grow ${storageGb} GB up to ${maxStorage} GB; priced at ${storageGb} GB`,
      );
    }
  }

  return managedPasswords;
}

/** ElastiCache nodes: replication groups and stand-alone clusters. */
export function priceCaches(p: Pricer): void {
  const { H, of, add, str, num } = p;
  for (const [name, rg] of of('aws_elasticache_replication_group')) {
    const where = `aws_elasticache_replication_group.${name}`;
    const nodeType = str(rg.node_type, `${where}.node_type`);
    const engine = str(rg.engine ?? 'redis', `${where}.engine`);
    const nodes =
      rg.num_cache_clusters !== undefined
        ? num(rg.num_cache_clusters, `${where}.num_cache_clusters`)
        : num(rg.num_node_groups ?? 1, `${where}.num_node_groups`) *
          (1 + num(rg.replicas_per_node_group ?? 0, `${where}.replicas_per_node_group`));
    const id = construct(name);
    add({
      key: `cache-nodes:${id}`,
      category: 'Cache',
      item: `ElastiCache ${engine} nodes (${id})`,
      basis: `${plural(nodes, 'node')} ${nodeType} x ${H} h`,
      quantity: nodes * H,
      unit: 'h',
      priceKey: `elasticache.${engine}.${nodeType}`,
    });
  }
  for (const [name, cluster] of of('aws_elasticache_cluster')) {
    if (cluster.replication_group_id !== undefined) continue;
    const where = `aws_elasticache_cluster.${name}`;
    const nodeType = str(cluster.node_type, `${where}.node_type`);
    const engine = str(cluster.engine, `${where}.engine`);
    const nodes = num(cluster.num_cache_nodes ?? 1, `${where}.num_cache_nodes`);
    add({
      key: `cache-nodes:${construct(name)}`,
      category: 'Cache',
      item: `ElastiCache ${engine} nodes (${construct(name)})`,
      basis: `${plural(nodes, 'node')} ${nodeType} x ${H} h`,
      quantity: nodes * H,
      unit: 'h',
      priceKey: `elasticache.${engine}.${nodeType}`,
    });
  }
}

/** Automated backups replicated to the second region: the transfer and the storage there. */
export function priceDatabaseBackupReplication(p: Pricer): void {
  const { a, of, add } = p;
  if (of('aws_db_instance_automated_backups_replication').length > 0) {
    add({
      key: 'rds-backup-replication-transfer',
      category: 'Database',
      item: 'RDS backup replication: transfer to the second region',
      basis: `${a.rdsReplicatedTransferGb} GB of transaction logs and snapshot changes (assumption)`,
      quantity: a.rdsReplicatedTransferGb,
      unit: 'GB',
      priceKey: 'dataTransfer.interRegion.gb',
    });
    add({
      key: 'rds-backup-replication-storage',
      category: 'Database',
      item: 'RDS replicated backup storage (second region)',
      basis: `${a.rdsReplicatedBackupGb} GB (assumption)`,
      quantity: a.rdsReplicatedBackupGb,
      unit: 'GB-month',
      priceKey: 'dr.rds.backupStorage.gbMonth',
    });
  }
}
