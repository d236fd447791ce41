import { Testing } from 'cdktf';
import { CLOSED_LOOPBACK_PROXY } from '../../src/tools/offline-plan';
import { testTokenTraces } from './token-traces';

// A stray network call from anything the tests run fails at once, locally.
for (const key of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy'])
  process.env[key] = CLOSED_LOOPBACK_PROXY;
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.CHECKPOINT_DISABLE = '1';

Testing.setupJest();
testTokenTraces();
