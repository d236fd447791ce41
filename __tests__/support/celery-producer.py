"""A real Celery producer (and a worker that takes jobs without acknowledging them) for the
queue-depth tests. Run with Debian's python3 and python3-celery / python3-kombu / python3-redis.

Usage: celery-producer.py '<spec JSON>'; the broker URL (with the password) comes from the
environment variable BROKER_URL and the CA file from BROKER_CA_FILE, never from the command line.

spec: {"queue": "render", "priorities": [0, 5, null, ...], "transportOptions": {...}, "take": 2}
- every entry of `priorities` sends one task (null: no priority given) with send_task;
- `take` messages are then fetched from the queue by a kombu consumer that never acknowledges
  them, as a worker running a job does; the process then exits at once (os._exit), so kombu
  does not give them back at shutdown and they stay in its `unacked` hash.
Prints one JSON line: {"sent": N, "taken": K}.
"""

import json
import os
import signal
import ssl
import sys

from celery import Celery

# Bounded in time whatever happens: a hung broker connection must not hang the test run.
signal.alarm(30)

spec = json.loads(sys.argv[1])
app = Celery("render-app", broker=os.environ["BROKER_URL"])
app.conf.broker_use_ssl = {
    "ssl_cert_reqs": ssl.CERT_REQUIRED,
    "ssl_ca_certs": os.environ["BROKER_CA_FILE"],
}
app.conf.broker_transport_options = spec.get("transportOptions", {})
app.conf.broker_connection_retry = False

queue = spec["queue"]
for index, priority in enumerate(spec["priorities"]):
    options = {} if priority is None else {"priority": priority}
    app.send_task("render.video", args=[index], queue=queue, **options)

taken = []
if spec.get("take", 0) > 0:
    conn = app.connection_for_read()
    simple = conn.SimpleQueue(queue)
    for _ in range(spec["take"]):
        taken.append(simple.get(block=True, timeout=10))

print(json.dumps({"sent": len(spec["priorities"]), "taken": len(taken)}), flush=True)
# No ack and no clean shutdown: the taken messages stay unacknowledged, like a busy worker's.
os._exit(0)
