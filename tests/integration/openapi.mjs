// Checks live API responses against web/openapi.json: the operation for method + path
// exists, the status is documented (or "default"), and the JSON body matches the
// response schema — types, enums, required members, and no member the schema does not
// declare. A handler that starts returning something new must say so in the document.
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
  if (t === 'object' && (schema.properties || schema.required)) {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${at}.${k}: required, missing`);
    for (const [k, v] of Object.entries(value)) {
      const p = schema.properties && schema.properties[k];
      if (p) validate(spec, p, v, `${at}.${k}`, errors);
      else if (schema.additionalProperties === undefined) errors.push(`${at}.${k}: not in the schema`);
      else if (typeof schema.additionalProperties === 'object') validate(spec, schema.additionalProperties, v, `${at}.${k}`, errors);
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
