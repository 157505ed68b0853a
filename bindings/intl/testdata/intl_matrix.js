// Every combination of DateTimeFormat's field options (and the styles) in
// the locales host formats by pattern, at one instant: TestIntlMatrix
// requires host to give what Node 22 gives (intl_matrix.golden) or a
// RangeError, never another result. Regenerate as intl.js says.
const d = Date.UTC(2023, 10, 3, 0, 7, 30);
const cases = {};
const locales = ['en-US', 'en-GB', 'de', 'fr', 'es', 'it-IT', 'pt-BR', 'pt-PT', 'nl', 'sv', 'pl', 'ru', 'ja', 'zh-CN', 'ko'];
const times = [[], ['numeric', '2-digit'], ['2-digit', '2-digit', '2-digit', false], ['numeric', 'numeric', 'numeric', true]];
// A case's name is the locale and one letter an option (in the order of
// o): - absent, n numeric, 2 2-digit, s short, l long, t/f hour12.
const code = (o, names) => names.map((k) => (o[k] === undefined ? '-' : o[k] === true ? 't' : o[k] === false ? 'f' : o[k][0] === '2' ? '2' : o[k][0])).join('');
const run = (l, o) => { try { return new Intl.DateTimeFormat(l, { timeZone: 'UTC', ...o }).format(d); } catch (e) { return e.name; } };
for (const l of locales) {
  for (const weekday of [undefined, 'long', 'short']) for (const year of [undefined, 'numeric', '2-digit'])
    for (const month of [undefined, 'numeric', '2-digit', 'short', 'long']) for (const day of [undefined, 'numeric', '2-digit'])
      for (const [hour, minute, second, hour12] of times) {
        const o = JSON.parse(JSON.stringify({ weekday, year, month, day, hour, minute, second, hour12 }));
        cases[l + ' ' + code(o, ['weekday', 'year', 'month', 'day', 'hour', 'minute', 'second', 'hour12'])] = run(l, o);
      }
  for (const dateStyle of [undefined, 'full', 'long', 'medium', 'short']) for (const timeStyle of [undefined, 'medium', 'short']) {
    if (dateStyle || timeStyle) cases[l + ' style ' + code({ dateStyle, timeStyle }, ['dateStyle', 'timeStyle'])] = run(l, { dateStyle, timeStyle });
  }
}
// fractionalSecondDigits and timeZoneName (English names) with the time
// fields, in the locales that were formatted before the pattern tables.
for (const l of ['en-US', 'en-GB', 'de', 'fr']) {
  for (const [hour, minute, second, hour12] of times.slice(1)) for (const fractionalSecondDigits of [undefined, 1, 3])
    for (const timeZoneName of [undefined, 'short', 'long']) for (const timeZone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      const o = JSON.parse(JSON.stringify({ year: 'numeric', month: 'numeric', day: 'numeric', hour, minute, second, hour12, fractionalSecondDigits, timeZoneName, timeZone }));
      cases[l + ' zone ' + code(o, ['hour', 'minute', 'second', 'hour12']) + (fractionalSecondDigits || '-') + (timeZoneName || '-')[0] + ' ' + timeZone] = run(l, o);
      delete o.year; delete o.month; delete o.day;
      cases[l + ' zone time ' + code(o, ['hour', 'minute', 'second', 'hour12']) + (fractionalSecondDigits || '-') + (timeZoneName || '-')[0] + ' ' + timeZone] = run(l, o);
    }
}
module.exports = cases;
