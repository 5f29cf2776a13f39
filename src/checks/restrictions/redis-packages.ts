// Packages that are Redis clients, or exist only to use Redis, under names
// that do not say "redis" plainly. docs/rules/restrictions.md lists each with
// the reason; keep both in step.

import { normalisePythonName } from "./manifests/pep508.js";

/** PyPI projects, PEP 503-normalised. */
export const REDIS_PYTHON_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["redis", "the Redis client (redis-py)"],
  ["redis-py-cluster", "Redis Cluster client"],
  ["hiredis", "C parser for the Redis protocol, used by redis-py"],
  ["aioredis", "asyncio Redis client"],
  ["coredis", "asyncio Redis client"],
  ["redis-om", "object mapper for Redis"],
  ["types-redis", "type stubs that exist only for code using redis-py"],
  ["fakeredis", "in-memory Redis fake for tests; it depends on redis-py and means the code talks to Redis"],
  ["django-redis", "Django cache and session backend on Redis"],
  ["django-redis-cache", "Django cache backend on Redis"],
  ["django-redis-sessions", "Django session engine on Redis"],
  ["channels-redis", "Django Channels layer on Redis"],
  ["django-cacheops", "ORM cache that requires Redis"],
  ["rq", "job queue that requires Redis"],
  ["django-rq", "Django integration of RQ (Redis)"],
  ["rq-scheduler", "scheduler for RQ (Redis)"],
  ["arq", "asyncio job queue that requires Redis"],
  ["celery-redbeat", "Celery beat scheduler stored in Redis"],
  ["walrus", "Redis toolkit (models, caches, queues)"],
  ["python-redis-lock", "lock built on Redis"],
  ["pottery", "Redis-backed Python containers and locks"],
  ["redis-sentinel-url", "Redis Sentinel connection helper"],
]);

/** npm packages; a name ending in "/*" matches a whole scope. */
export const REDIS_NPM_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["redis", "the Redis client (node-redis)"],
  ["@redis/*", "the packages node-redis is made of (@redis/client, @redis/json, ...)"],
  ["@node-redis/*", "the former name of the @redis scope"],
  ["ioredis", "Redis client"],
  ["@ioredis/*", "parts of ioredis"],
  ["ioredis-mock", "Redis fake for tests of code that uses ioredis"],
  ["redis-mock", "Redis fake for tests of code that uses redis"],
  ["@upstash/redis", "client of a hosted Redis"],
  ["bull", "job queue that requires Redis"],
  ["bullmq", "job queue that requires Redis"],
  ["bee-queue", "job queue that requires Redis"],
  ["kue", "job queue that requires Redis"],
  ["connect-redis", "Express session store on Redis"],
  ["cache-manager-redis-store", "cache-manager store on Redis"],
  ["cache-manager-redis-yet", "cache-manager store on Redis"],
  ["cache-manager-ioredis", "cache-manager store on Redis"],
  ["cache-manager-ioredis-yet", "cache-manager store on Redis"],
  ["@keyv/redis", "Keyv store on Redis"],
  ["rate-limit-redis", "express-rate-limit store on Redis"],
  ["socket.io-redis", "Socket.IO adapter on Redis"],
  ["@socket.io/redis-adapter", "Socket.IO adapter on Redis"],
  ["@socket.io/redis-emitter", "Socket.IO emitter through Redis"],
  ["@socket.io/redis-streams-adapter", "Socket.IO adapter on Redis streams"],
  ["redlock", "distributed lock on Redis"],
  ["redis-om", "object mapper for Redis"],
]);

/** Python extras that pull in Redis whatever the package: `celery[redis]`, `kombu[redis]`, `huey[redis]`... */
export const REDIS_EXTRAS: ReadonlySet<string> = new Set(["redis"]);

/** True when `name` (an npm package) matches `pattern` (a name or `@scope/*`). */
export function npmNameMatches(pattern: string, name: string): boolean {
  const wanted = pattern.toLowerCase();
  const actual = name.toLowerCase();
  if (wanted.endsWith("/*")) return actual.startsWith(wanted.slice(0, -1));
  return wanted === actual;
}

export function pythonNameMatches(pattern: string, name: string): boolean {
  return normalisePythonName(pattern) === normalisePythonName(name);
}
