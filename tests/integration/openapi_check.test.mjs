// The contract checker itself (openapi.mjs): undeclared members are errors where a
// schema declares members or says additionalProperties: false, free with true, checked
// against an additionalProperties schema; oneOf of closed alternatives picks exactly one;
// an accepted request body must match the operation's documented one (or be empty where
// none is documented). No server: schemas written here and the project's document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { validate, assertRequestDocumented } from './openapi.mjs';

const spec = { components: { schemas: {
  Target: { oneOf: [
    { type: 'object', required: ['user_id'], properties: { user_id: { type: 'integer' } }, additionalProperties: false },
    { type: 'object', required: ['department_id'], properties: { department_id: { type: 'integer' } }, additionalProperties: false },
  ] },
} }, paths: {
  '/things/{id}/step': { post: { requestBody: { content: { 'application/json': { schema: {
    type: 'object', properties: { note: { type: 'string' }, lead: { $ref: '#/components/schemas/Target' } }, additionalProperties: false } } } },
  responses: { 200: { description: 'ok' } } } },
  '/things/{id}/plain': { post: { responses: { 200: { description: 'ok' } } } },
} };
const v = (schema, value) => validate(spec, schema, value);

test('additionalProperties: false rejects an undeclared member, as an absent one does', () => {
  const closed = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
  assert.deepEqual(v(closed, { a: 'x' }), []);
  assert.deepEqual(v(closed, { a: 'x', b: 1 }), ['$.b: not in the schema']);
  assert.deepEqual(v({ type: 'object', properties: { a: { type: 'string' } } }, { b: 1 }), ['$.b: not in the schema']);
  // false with no properties: nothing is allowed
  assert.deepEqual(v({ type: 'object', additionalProperties: false }, { b: 1 }), ['$.b: not in the schema']);
  assert.deepEqual(v({ type: 'object', additionalProperties: false }, {}), []);
  // a member named like an Object.prototype property is not "declared"
  assert.deepEqual(v(closed, { constructor: 1 }), ['$.constructor: not in the schema']);
});

test('additionalProperties: true frees the members; a schema checks them', () => {
  assert.deepEqual(v({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true }, { b: 1 }), []);
  const map = { type: 'object', additionalProperties: { type: 'integer' } };
  assert.deepEqual(v(map, { x: 1, y: 2 }), []);
  assert.deepEqual(v(map, { x: 'no' }), ['$.x: string, documented integer']);
});

test('oneOf of closed alternatives: exactly one matches; a member of both or neither fails', () => {
  const t = { $ref: '#/components/schemas/Target' };
  assert.deepEqual(v(t, { user_id: 3 }), []);
  assert.deepEqual(v(t, { department_id: 4 }), []);
  assert.deepEqual(v(t, { user_id: 3, department_id: 4 }), ['$: matches 0 of oneOf']);
  assert.deepEqual(v(t, { user_id: 3, extra: true }), ['$: matches 0 of oneOf']);
});

test('an accepted request body must be the documented one', () => {
  assertRequestDocumented(spec, 'POST', '/api/v1/things/7/step', { note: 'x', lead: { user_id: 2 } });
  assert.throws(() => assertRequestDocumented(spec, 'POST', '/api/v1/things/7/step', { note: 'x', reason: 'y' }),
    /\$request\.reason: not in the schema/);
  assert.throws(() => assertRequestDocumented(spec, 'POST', '/api/v1/things/7/step', { lead: { user_id: 2, role: 'x' } }),
    /\$request\.lead: matches 0 of oneOf/);
  assertRequestDocumented(spec, 'POST', '/api/v1/things/7/plain', {});
  assert.throws(() => assertRequestDocumented(spec, 'POST', '/api/v1/things/7/plain', { note: 'x' }), /none documented/);
  assert.throws(() => assertRequestDocumented(spec, 'POST', '/api/v1/nothing', {}), /is documented/);
});

test('the project\'s document: every closed request schema declares what it allows', () => {
  const doc = JSON.parse(readFileSync(join(ROOT, 'web/openapi.json'), 'utf8'));
  let closed = 0;
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const s = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      if (!s || !s.schema || s.schema.additionalProperties !== false) continue;
      closed++;
      assert.ok(s.schema.properties && Object.keys(s.schema.properties).length, `${method} ${path}: closed with no members`);
    }
  assert.ok(closed >= 20, `${closed} closed request schemas`);
});
