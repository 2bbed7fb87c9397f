"""A crawl frontier shared in Redis, so that many worker processes (on many machines) crawl one
portal together: one request queue and one dupefilter (scrapy-redis), plus in-flight bookkeeping
so that a killed worker's requests are crawled by another (docs/distributed.md).

Keys, for portal ``SITE`` under ``VINEWS_REDIS_KEY_PREFIX`` (``vinews``):

* ``vinews:SITE:requests``: sorted set, the queue (scrapy-redis PriorityQueue encoding);
* ``vinews:SITE:dupefilter``: set, fingerprints of every request ever queued in this crawl;
* ``vinews:SITE:workers``: set, the ids of the workers that have taken requests;
* ``vinews:SITE:inflight:WORKER``: sorted set, the requests WORKER took from the queue and has
  not finished (same encoding and score as in the queue, so they can go back as they were);
* ``vinews:SITE:alive:WORKER``: WORKER's heartbeat, a key that expires after
  ``VINEWS_REDIS_HEARTBEAT`` seconds unless renewed.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from typing import NamedTuple

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.request import request_from_dict
from scrapy_redis import defaults as redis_defaults
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from .storage import mask_uri

logger = logging.getLogger(__name__)

REDIS_URL_VARIABLE = "VINEWS_REDIS_URL"
SCHEDULER_PATH = "vinews_scraper.frontier.RedisFrontierScheduler"

# Take the first request of the queue and record it as in flight at a worker, in one step: at no
# moment is a request neither queued nor in flight.
# KEYS: queue, the worker's in-flight set, workers; ARGV: worker id.
_TAKE = """
local taken = redis.call('ZPOPMIN', KEYS[1])
if taken[1] == nil then return false end
redis.call('ZADD', KEYS[2], taken[2], taken[1])
redis.call('SADD', KEYS[3], ARGV[1])
return taken[1]
"""

# Put the in-flight requests of every other worker without a heartbeat back in the queue, with
# their scores, and those of one more worker if named (a previous run of the calling worker's id);
# returns [worker, request, worker, request, ...].
# KEYS: queue, workers; ARGV: in-flight key prefix, heartbeat key prefix, the calling worker, the
# worker whose requests to requeue whatever its heartbeat (or '').
_REQUEUE_ORPHANS = """
local requeued = {}
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if (worker ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. worker) == 0) or worker == ARGV[4] then
    local inflight = ARGV[1] .. worker
    for _, request in ipairs(redis.call('ZRANGE', inflight, 0, -1)) do
      table.insert(requeued, worker)
      table.insert(requeued, request)
    end
    redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], inflight, 'AGGREGATE', 'MIN')
    redis.call('DEL', inflight)
    redis.call('SREM', KEYS[2], worker)
  end
end
return requeued
"""

# Requests still to crawl: queued, plus in flight at any worker (whose callbacks may queue more).
# KEYS: queue, workers; ARGV: in-flight key prefix.
_COUNT_PENDING = """
local pending = redis.call('ZCARD', KEYS[1])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  pending = pending + redis.call('ZCARD', ARGV[1] .. worker)
end
"""
_PENDING = _COUNT_PENDING + "return pending\n"

# Forget a finished crawl (nothing queued, nothing in flight anywhere): its dupefilter would
# otherwise filter every request of the next crawl. Returns -1 while requests are pending, else
# the number of keys deleted.
# KEYS: queue, workers, dupefilter; ARGV: in-flight key prefix.
_CLEAR_IF_FINISHED = _COUNT_PENDING + """
if pending > 0 then return -1 end
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
"""


def redis_url_for_settings(settings) -> str | None:
    """The Redis URL of the shared frontier: ``VINEWS_REDIS_URL`` from the environment, else the
    setting of that name; None (no shared frontier) when neither is set."""
    return os.environ.get(REDIS_URL_VARIABLE) or settings.get("VINEWS_REDIS_URL") or None


def default_worker_id() -> str:
    """Host name, process id and a random part (containers share host names and process ids)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def decode_request(encoded: bytes, spider):
    """A request as scrapy-redis's queues encode it (a pickled ``Request.to_dict``)."""
    return request_from_dict(picklecompat.loads(encoded), spider=spider)


class FrontierKeys(NamedTuple):
    """The Redis keys of one portal's shared frontier."""

    pattern: str  # matches every key of the portal
    queue: str
    dupefilter: str
    workers: str
    inflight_prefix: str
    alive_prefix: str

    @classmethod
    def for_site(cls, prefix: str, site: str) -> "FrontierKeys":
        base = f"{prefix}:{site}"
        return cls(f"{base}:*", f"{base}:requests", f"{base}:dupefilter", f"{base}:workers",
                   f"{base}:inflight:", f"{base}:alive:")

    def inflight(self, worker: str) -> str:
        return self.inflight_prefix + worker

    def alive(self, worker: str) -> str:
        return self.alive_prefix + worker


class RedisFrontier:
    """Turns the shared frontier on when a Redis URL is configured (``VINEWS_REDIS_URL``): an
    add-on, so that ``vinews crawl``, ``scrapy crawl`` and Scrapyd all honour it."""

    @classmethod
    def from_crawler(cls, crawler) -> "RedisFrontier":
        if not redis_url_for_settings(crawler.settings):
            raise NotConfigured
        return cls()

    def update_settings(self, settings) -> None:
        settings.set("SCHEDULER", SCHEDULER_PATH, priority="addon")


class RedisFrontierScheduler(Scheduler):
    """scrapy-redis's scheduler with per-portal keys that also survives killed workers.

    A request taken from the queue is recorded in this worker's in-flight set in the same Redis
    step, and leaves it only once Scrapy has finished it: its response or failure went through
    the callback or errback, every request they yielded is queued and every item they yielded
    went through the pipelines (stored, or its failure recorded). The worker renews a heartbeat
    key; any worker puts back in the queue the in-flight requests of workers whose heartbeat
    expired. A worker stays open while anything is queued or in flight anywhere, and the last
    one out clears the portal's keys. A worker stopped gracefully (Ctrl-C) finishes its
    requests in flight first, as Scrapy does.
    """

    def __init__(self, server, crawler, url: str, key_prefix: str, worker_id: str,
                 heartbeat: float) -> None:
        super().__init__(server, persist=True, serializer=picklecompat)
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = url
        self.key_prefix = key_prefix
        self.worker_id = worker_id
        self.heartbeat = heartbeat
        self.keys: FrontierKeys | None = None
        self.taken: dict = {}  # request object -> its encoding, for requests this worker took
        self.beat = LoopingCall(self.beat_once)
        self._take = server.register_script(_TAKE)
        self._requeue_orphans = server.register_script(_REQUEUE_ORPHANS)
        self._pending = server.register_script(_PENDING)
        self._clear_if_finished = server.register_script(_CLEAR_IF_FINISHED)

    @classmethod
    def from_crawler(cls, crawler) -> "RedisFrontierScheduler":
        settings = crawler.settings
        heartbeat = settings.getfloat("VINEWS_REDIS_HEARTBEAT")
        if heartbeat <= 0:
            raise ValueError(f"VINEWS_REDIS_HEARTBEAT must be a positive number of seconds, got {heartbeat}")
        url = redis_url_for_settings(settings)
        server = redis.Redis.from_url(url, **redis_defaults.REDIS_PARAMS)
        try:
            server.ping()
        except redis.RedisError as exc:
            logger.error("cannot reach the shared frontier at %s: %s", mask_uri(url), exc)
            raise
        scheduler = cls(server, crawler, url, settings.get("VINEWS_REDIS_KEY_PREFIX"),
                        settings.get("VINEWS_REDIS_WORKER_ID") or default_worker_id(), heartbeat)
        crawler.signals.connect(scheduler.keep_open_while_pending, signal=signals.spider_idle)
        return scheduler

    def open(self, spider) -> None:
        self.keys = FrontierKeys.for_site(self.key_prefix, spider.site.key)
        self.queue_key = self.keys.queue
        self.df = RFPDupeFilter(self.server, key=self.keys.dupefilter,
                                debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        super().open(spider)
        self.stats.set_value("vinews/frontier/worker", self.worker_id)
        self.requeue_orphans(previous_run=self.worker_id)
        self.beat_once()
        self.beat.start(self.heartbeat / 3, now=False)
        if self.clear_if_finished() >= 0:
            state = "starting a new crawl"
        else:
            state = f"joining a crawl in progress ({self.pending()} requests queued or in flight)"
        logger.info("shared frontier %s on %s as worker %s: %s", self.keys.pattern, mask_uri(self.url),
                    self.worker_id, state)

    def close(self, reason: str) -> None:
        """Stop the heartbeat. Scrapy has finished every request by now; if one were left in
        flight, the other workers would requeue it once this worker's heartbeat is gone."""
        if self.beat.running:
            self.beat.stop()
        self.forget_finished()
        self.server.delete(self.keys.alive(self.worker_id))
        if reason == "finished" and self.clear_if_finished() > 0:
            logger.info("crawl finished by every worker: shared frontier cleared")

    def next_request(self):
        self.forget_finished()
        encoded = self._take(keys=[self.keys.queue, self.keys.inflight(self.worker_id), self.keys.workers],
                             args=[self.worker_id])
        if encoded is None:
            return None
        request = decode_request(encoded, self.spider)
        self.taken[request] = encoded
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def forget_finished(self) -> None:
        """Remove from this worker's in-flight set the requests Scrapy has finished with."""
        in_progress = requests_in_progress(self.crawler.engine)
        finished = [request for request in self.taken if request not in in_progress]
        if finished:
            self.server.zrem(self.keys.inflight(self.worker_id), *(self.taken[r] for r in finished))
            for request in finished:
                del self.taken[request]

    def beat_once(self) -> None:
        """Renew this worker's heartbeat, then requeue the requests of workers without one. A
        Redis outage is logged, not fatal: the next beat tries again."""
        try:
            self.server.set(self.keys.alive(self.worker_id), "1", px=int(self.heartbeat * 1000))
            self.forget_finished()
            self.requeue_orphans()
        except redis.RedisError as exc:
            logger.warning("shared frontier heartbeat failed: %s", exc)

    def requeue_orphans(self, previous_run: str = "") -> int:
        """Requeue the requests in flight at dead workers, and at ``previous_run``: this worker's
        id when it starts, for a worker restarted under a fixed ``VINEWS_REDIS_WORKER_ID``."""
        requeued = self._requeue_orphans(
            keys=[self.keys.queue, self.keys.workers],
            args=[self.keys.inflight_prefix, self.keys.alive_prefix, self.worker_id, previous_run])
        pairs = list(zip(requeued[::2], requeued[1::2]))
        for worker, encoded in pairs:
            logger.warning("requeued %s, in flight at worker %s when its heartbeat stopped",
                           decode_request(encoded, self.spider).url, worker.decode())
        if pairs:
            self.stats.inc_value("vinews/frontier/requeued", len(pairs))
        return len(pairs)

    def pending(self) -> int:
        return self._pending(keys=[self.keys.queue, self.keys.workers], args=[self.keys.inflight_prefix])

    def clear_if_finished(self) -> int:
        return int(self._clear_if_finished(keys=[self.keys.queue, self.keys.workers, self.keys.dupefilter],
                                            args=[self.keys.inflight_prefix]))

    def keep_open_while_pending(self, spider) -> None:
        """On ``spider_idle``: while requests are queued or in flight at any worker (including a
        killed one, until its heartbeat expires), this worker waits for more work."""
        self.forget_finished()
        self.requeue_orphans()
        if self.pending():
            raise DontCloseSpider


def requests_in_progress(engine) -> set:
    """The requests the engine has not finished: each stays there until its response or failure
    has been through its callback or errback and all their output has been processed. Scrapy
    has no signal for that moment, so the engine's own record of it is read."""
    slot = getattr(engine, "_slot", None) if engine else None
    return slot.inprogress if slot is not None else set()

