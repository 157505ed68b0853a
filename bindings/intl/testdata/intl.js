// Intl cases: each line "name: JSON" of what Node 22 (ICU) gives;
// TestIntlAsNode runs the same cases on host and on Node 22 and compares
// (intl.golden, regenerate it and intl_matrix.golden with: go test
// ./bindings/intl -run 'TestIntl' -update).
// Dates are fixed instants shown in UTC or a named zone.
const d = Date.UTC(2024, 0, 15, 14, 5, 9, 123);
const cases = {};
const num = (l, o, ...vs) => vs.map((v) => new Intl.NumberFormat(l, o).format(v));
for (const l of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'en-IN', 'pt-BR']) {
  cases['number ' + l] = [
    ...num(l, {}, 1234567.891, 1234, 0, -1.5, 0.0001234, 1e21, NaN, Infinity, -0),
    ...num(l, { maximumFractionDigits: 0 }, 2.5, 3.5, -2.5),
    ...num(l, { minimumFractionDigits: 2 }, 1, 1.005),
    ...num(l, { maximumSignificantDigits: 3 }, 123456, 0.0012345),
    ...num(l, { style: 'percent' }, 0.12, 1.5),
    ...num(l, { style: 'percent', maximumFractionDigits: 1 }, 0.1234),
    ...num(l, { style: 'currency', currency: 'EUR' }, 1234.5, -3),
    ...num(l, { style: 'currency', currency: 'USD' }, 1234.5),
    ...num(l, { style: 'currency', currency: 'JPY' }, 1234.5),
    ...num(l, { style: 'currency', currency: 'EUR', currencyDisplay: 'code' }, 1),
    ...num(l, { useGrouping: false }, 1234567),
    ...num(l, { minimumIntegerDigits: 3 }, 7),
    (1234.5).toLocaleString(l),
  ];
}
const dt = (l, o) => new Intl.DateTimeFormat(l, o).format(d);
for (const l of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR', 'pt-PT', 'nl-NL', 'sv-SE', 'pl-PL', 'ru-RU', 'ja-JP', 'zh-CN', 'ko-KR']) {
  cases['date ' + l] = [
    dt(l, { timeZone: 'UTC' }),
    dt(l, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }),
    dt(l, { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
    dt(l, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }),
    dt(l, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }),
    dt(l, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }),
    dt(l, { timeZone: 'UTC', month: 'long', year: 'numeric' }),
    dt(l, { timeZone: 'UTC', month: 'long' }),
    dt(l, { timeZone: 'UTC', weekday: 'long' }),
    dt(l, { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }),
    dt(l, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
    dt(l, { timeZone: 'UTC', hour: 'numeric', minute: 'numeric', hour12: true }),
    dt(l, { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }),
    dt(l, { timeZone: 'Asia/Tokyo', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'full' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'long' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'medium' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'short' }),
    dt(l, { timeZone: 'UTC', timeStyle: 'short' }),
    dt(l, { timeZone: 'UTC', timeStyle: 'medium' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' }),
    new Date(d).toLocaleString(l, { timeZone: 'UTC' }),
    new Date(d).toLocaleDateString(l, { timeZone: 'UTC' }),
    new Date(d).toLocaleTimeString(l, { timeZone: 'UTC' }),
    dt(l, { timeZone: 'UTC', year: '2-digit', month: 'short', day: '2-digit' }),
    dt(l, { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }),
    dt(l, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }),
    dt(l, { timeZone: 'UTC', hour: 'numeric', hourCycle: 'h12' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'full', timeStyle: 'medium' }),
    dt(l, { timeZone: 'UTC', dateStyle: 'short', timeStyle: 'short' }),
    new Intl.DateTimeFormat(l, { timeZone: 'UTC', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).formatToParts(Date.UTC(2024, 4, 3, 0, 30)).map((p) => p.type + '=' + p.value),
    new Intl.DateTimeFormat(l, { timeZone: 'UTC', hour: 'numeric' }).resolvedOptions().hourCycle,
  ];
}
cases['formatToParts'] = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: '2-digit', hour: 'numeric', minute: '2-digit' }).formatToParts(d);
cases['resolvedOptions'] = (() => { const r = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin' }).resolvedOptions(); return [r.locale, r.timeZone, r.calendar, r.numberingSystem]; })();
cases['number resolvedOptions'] = (() => { const r = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'eur' }).resolvedOptions(); return [r.locale, r.style, r.currency, r.minimumFractionDigits, r.maximumFractionDigits]; })();
cases['collator'] = [
  ['b', 'a', 'B', 'ä', 'z', 'A'].sort(new Intl.Collator('en').compare),
  ['b', 'a', 'B', 'ä', 'z', 'A'].sort(new Intl.Collator('de').compare),
  ['item10', 'item2', 'item1'].sort(new Intl.Collator('en', { numeric: true }).compare),
  new Intl.Collator('en', { sensitivity: 'base' }).compare('a', 'Á'),
  new Intl.Collator('en', { sensitivity: 'accent' }).compare('a', 'á'),
  new Intl.Collator('en').compare('a', 'b'),
  ['ä', 'a', 'z'].sort(new Intl.Collator('sv').compare),
  'a'.localeCompare('B'),
];
cases['plural'] = [
  [0, 1, 2, 5, 1.5].map((n) => new Intl.PluralRules('en-US').select(n)),
  [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].map((n) => new Intl.PluralRules('en-US', { type: 'ordinal' }).select(n)),
  [0, 1, 2, 5, 21, 22, 25].map((n) => new Intl.PluralRules('ru').select(n)),
  [0, 1, 2, 3, 11, 100].map((n) => new Intl.PluralRules('ar').select(n)),
  [0, 1, 2].map((n) => new Intl.PluralRules('fr').select(n)),
  new Intl.PluralRules('en').resolvedOptions().pluralCategories,
];
cases['supportedLocalesOf'] = [Intl.NumberFormat.supportedLocalesOf(['en-US', 'de']), Intl.getCanonicalLocales('EN-us')];
cases['errors'] = [
  (() => { try { new Intl.NumberFormat('en', { style: 'currency' }); return 'no error'; } catch (e) { return e.name; } })(),
  (() => { try { new Intl.NumberFormat('not a locale!'); return 'no error'; } catch (e) { return e.name; } })(),
  (() => { try { new Intl.DateTimeFormat('en', { timeZone: 'Mars/Base' }); return 'no error'; } catch (e) { return e.name; } })(),
];
module.exports = cases;
