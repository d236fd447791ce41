/** Cost lines, by service. Security: Secrets Manager, KMS and the redeploy state machine. */
import { plural, type Pricer } from '../pricing';

/** The redeploy state machine: a few executions a month, inside the free state transitions. */
export function priceStateMachines(p: Pricer): void {
  const { of, add } = p;
  if (of('aws_sfn_state_machine').length > 0) {
    add({
      key: 'step-functions',
      category: 'Security',
      item: 'Redeploy state machine (Step Functions)',
      basis: 'a few executions a month: inside the 4,000 free state transitions',
      quantity: 0,
      unit: 'state transitions',
      priceKey: 'free',
    });
  }
}

/** Secrets (with the RDS-managed master passwords) and customer managed KMS keys. */
export function priceSecretsAndKeys(p: Pricer, managedPasswords: number): void {
  const { of, add } = p;
  const secrets = of('aws_secretsmanager_secret');
  const secretCount = secrets.length + managedPasswords;
  if (secretCount > 0) {
    add({
      key: 'secrets',
      category: 'Security',
      item: 'Secrets Manager secrets',
      basis:
        managedPasswords > 0
          ? `${plural(secrets.length, 'secret')} + ${managedPasswords} RDS-managed master password`
          : plural(secrets.length, 'secret'),
      quantity: secretCount,
      unit: 'secret-month',
      priceKey: 'secretsManager.secret.month',
    });
  }
  const keys = of('aws_kms_key');
  if (keys.length > 0) {
    add({
      key: 'kms-keys',
      category: 'Security',
      item: 'KMS customer managed keys',
      basis: plural(keys.length, 'key'),
      quantity: keys.length,
      unit: 'key-month',
      priceKey: 'kms.key.month',
    });
  }
}
