import { Fn } from 'cdktf';

/** The account id inside any ARN (its fifth field), so no API lookup is needed at plan time. */
export function accountIdOf(arn: string): string {
  return Fn.element(Fn.split(':', arn), 4);
}
