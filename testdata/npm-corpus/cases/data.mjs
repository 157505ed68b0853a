// Data, validation and formatting libraries, used as their READMEs show.
import { z } from 'zod';
import { format, addDays, differenceInCalendarDays, parseISO, formatDistance, isValid, startOfWeek } from 'date-fns';
import { groupBy, chunk, sortBy, merge, debounce, template, uniqBy } from 'lodash-es';
import { v4 as uuidv4, v5 as uuidv5, validate as uuidValidate, version as uuidVersion, NIL } from 'uuid';
import { nanoid, customAlphabet } from 'nanoid';
import YAML from 'yaml';
import Papa from 'papaparse';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import qs from 'qs';
import semver from 'semver';
import { marked } from 'marked';
import { XMLParser, XMLBuilder } from 'fast-xml-parser';
import Ajv from 'ajv';

export function zod() {
  const User = z.object({ name: z.string().min(2), email: z.email(), age: z.number().int().positive().optional(), tags: z.array(z.string()).default([]) });
  const ok = User.parse({ name: 'Ada', email: 'ada@example.com' });
  const bad = User.safeParse({ name: 'A', email: 'nope', age: -1 });
  return { ok, issues: bad.error.issues.map((i) => [i.path.join('.'), i.code]), flat: z.flattenError(bad.error).fieldErrors, json: z.toJSONSchema(z.object({ n: z.number() })) };
}

export function dateFns() {
  const d = parseISO('2024-01-15T10:30:00');
  return {
    formatted: format(d, "yyyy-MM-dd HH:mm EEEE do MMMM"),
    plus: format(addDays(d, 20), 'yyyy-MM-dd'),
    diff: differenceInCalendarDays(parseISO('2024-03-01'), d),
    distance: formatDistance(addDays(d, 3), d, { addSuffix: true }),
    valid: [isValid(d), isValid(parseISO('nope'))],
    week: format(startOfWeek(d, { weekStartsOn: 1 }), 'yyyy-MM-dd'),
  };
}

export async function lodash() {
  let calls = 0;
  const bump = debounce(() => calls++, 5);
  bump(); bump(); bump();
  await new Promise((r) => setTimeout(r, 30));
  return {
    grouped: groupBy([6.1, 4.2, 6.3], Math.floor),
    chunks: chunk(['a', 'b', 'c', 'd', 'e'], 2),
    sorted: sortBy([{ u: 'fred', a: 48 }, { u: 'barney', a: 36 }], ['a']).map((x) => x.u),
    merged: merge({ a: [{ b: 2 }, { d: 4 }] }, { a: [{ c: 3 }, { e: 5 }] }),
    templated: template('hello <%= user %>!')({ user: 'fred' }),
    uniq: uniqBy([2.1, 1.2, 2.3], Math.floor),
    calls,
  };
}

export function uuid() {
  const id = uuidv4();
  return { v5: uuidv5('hello', '1b671a64-40d5-491e-99b0-da01ff1f3341'), v4: [uuidValidate(id), uuidVersion(id), id.length], nil: NIL };
}

export function nanoidLib() {
  const hex = customAlphabet('0123456789abcdef', 12);
  return { length: nanoid().length, short: nanoid(8).length, hex: /^[0-9a-f]{12}$/.test(hex()) };
}

export function yaml() {
  const doc = YAML.parse('name: host\nplugins:\n  - id: a\n    on: true\n  - id: b\nlimits: { cpu: 2, mem: 1.5 }\n');
  return { doc, out: YAML.stringify({ a: 1, list: ['x', 'y'], nested: { k: 'v w' } }) };
}

export function papaparse() {
  const res = Papa.parse('name,age\nAda,36\n"Lovelace, A",37\n', { header: true, dynamicTyping: true, skipEmptyLines: true });
  return { data: res.data, fields: res.meta.fields, csv: Papa.unparse([{ a: 1, b: 'x,y' }, { a: 2, b: 'z' }]) };
}

export function dayjsLib() {
  dayjs.extend(utc);
  return {
    local: dayjs('2024-01-31').add(1, 'month').format('YYYY-MM-DD dddd'),
    utc: dayjs.utc('2024-06-01T12:00:00Z').startOf('week').format(),
    diff: dayjs('2024-03-01').diff(dayjs('2024-01-01'), 'day'),
  };
}

export function qsLib() {
  const s = qs.stringify({ a: { b: [1, 2], c: 'x y' }, d: true }, { encodeValuesOnly: true });
  return { s, parsed: qs.parse('a[b][0]=1&a[b][1]=2&a[c]=x%20y&e[]=z') };
}

export function semverLib() {
  return {
    satisfies: semver.satisfies('1.2.3', '^1.0.0 || >=2.0.0'),
    inc: semver.inc('1.2.3', 'preminor', 'beta'),
    sorted: semver.sort(['1.10.0', '1.2.0', '1.2.0-rc.1']),
    coerce: semver.coerce('v2.3').version,
    valid: [semver.valid('1.2'), semver.valid('1.2.3')],
  };
}

export function markedLib() {
  return marked.parse('# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n\n[link](https://example.com)\n');
}

export function xml() {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const obj = parser.parse('<feed><entry id="1"><title>First</title></entry><entry id="2"><title>Second &amp; more</title></entry></feed>');
  return { obj, built: new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@' }).build({ a: { '@x': '1', b: 'text' } }) };
}

export function ajv() {
  const v = new Ajv({ allErrors: true });
  const validate = v.compile({ type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string', minLength: 2 } }, required: ['id'], additionalProperties: false });
  const good = validate({ id: 1, name: 'ok' });
  const bad = validate({ name: 'x', extra: 1 });
  return { good, bad, errors: validate.errors.map((e) => [e.instancePath, e.keyword, e.message]) };
}
