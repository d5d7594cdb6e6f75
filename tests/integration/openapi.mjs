// Checks live API responses against web/openapi.json: the operation for method + path
// exists, the status is documented (or "default"), and the JSON body matches the
// response schema — types, enums, required members, and no member the schema does not
// declare (where it declares members or says additionalProperties: false). A handler
// that starts returning something new must say so in the document. Requests too: every
// JSON body a test sends to /api/v1 that the server takes (2xx) must match the
// operation's documented request body (harness.mjs's Client calls
// assertRequestDocumented), so a member the server accepts is in the document and a
// schema that says additionalProperties: false is held to it.
import assert from 'node:assert/strict';

const API = '/api/v1';

function resolveRef(spec, ref) {
  return ref.slice(2).split('/').reduce((o, k) => (o ? o[k] : undefined), spec);
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(spec, schema, value, at = '$', errors = []) {
  if (schema.$ref) return validate(spec, resolveRef(spec, schema.$ref), value, at, errors);
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => validate(spec, { ...schema, oneOf: undefined, ...s }, value, at, []).length === 0);
    if (ok.length !== 1) errors.push(`${at}: matches ${ok.length} of oneOf`);
    return errors;
  }
  const t = typeOf(value);
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number')))
      errors.push(`${at}: ${t}, documented ${types.join('|')}`);
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && schema.const !== value) errors.push(`${at}: ${JSON.stringify(value)} is not ${schema.const}`);
  // Members: those declared are checked; an undeclared one is an error where the schema
  // declares members or says additionalProperties: false (absent or false: closed), is
  // checked against an additionalProperties schema, and is free with true.
  const extra = schema.additionalProperties;
  if (t === 'object' && (schema.properties || schema.required || extra !== undefined)) {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${at}.${k}: required, missing`);
    for (const [k, v] of Object.entries(value)) {
      const p = schema.properties && Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
      if (p) validate(spec, p, v, `${at}.${k}`, errors);
      else if (extra === undefined || extra === false) errors.push(`${at}.${k}: not in the schema`);
      else if (typeof extra === 'object') validate(spec, extra, v, `${at}.${k}`, errors);
    }
  }
  if (t === 'array' && schema.items) value.forEach((v, i) => validate(spec, schema.items, v, `${at}[${i}]`, errors));
  return errors;
}

// The documented operation for a concrete path ("/api/v1/signing-keys/7/revoke").
export function operation(spec, method, path) {
  const segs = path.replace(/\?.*/, '').slice(API.length).split('/');
  for (const [tmpl, item] of Object.entries(spec.paths)) {
    const t = tmpl.split('/');
    if (t.length === segs.length && t.every((s, i) => s.startsWith('{') || s === segs[i]) && item[method.toLowerCase()])
      return item[method.toLowerCase()];
  }
  return undefined;
}

// Asserts that a response {status, json, headers} is what the document promises.
export function assertDocumented(spec, method, path, res) {
  const op = operation(spec, method, path);
  assert.ok(op, `${method} ${path} is documented`);
  const doc = op.responses[String(res.status)] || op.responses.default;
  assert.ok(doc, `${method} ${path}: status ${res.status} is documented`);
  const type = (res.headers.get('content-type') || '').split(';')[0];
  if (!doc.content) return;
  const media = doc.content[type];
  assert.ok(media, `${method} ${path} ${res.status}: ${type} is documented (${Object.keys(doc.content)})`);
  if (type.endsWith('json') && media.schema) {
    const errors = validate(spec, media.schema, res.json);
    assert.deepEqual(errors, [], `${method} ${path} ${res.status} matches web/openapi.json`);
  }
}

// Asserts that a JSON body the server accepted is what the document says the operation
// takes: its request body schema, or none at all (an empty object) where none is given.
export function assertRequestDocumented(spec, method, path, body) {
  const op = operation(spec, method, path);
  assert.ok(op, `${method} ${path} is documented`);
  const media = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
  if (media && media.schema)
    assert.deepEqual(validate(spec, media.schema, body, '$request'), [], `${method} ${path}: the request body matches web/openapi.json`);
  else
    assert.deepEqual(body, {}, `${method} ${path}: a JSON request body, none documented`);
}
