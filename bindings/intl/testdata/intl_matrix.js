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
// The options the hand-written tables had no patterns for (era, dayPeriod,
// narrow names, hourCycle, fractionalSecondDigits, every timeZoneName
// form), in every locale, at several instants and zones; each case gives
// formatToParts' types and values, so the part types are compared too.
const instants = [Date.UTC(2023, 10, 3, 0, 7, 30), Date.UTC(2024, 5, 15, 12, 0, 0, 5), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 6, 30, 1, 120), Date.UTC(2025, 6, 4, 15, 45, 9, 87), Date.UTC(2024, 2, 10, 20, 10, 0)];
const parts = (l, o, ds) => { try { const f = new Intl.DateTimeFormat(l, o); return ds.map((x) => f.formatToParts(x).map((p) => p.type[0] + p.type[1] + ':' + p.value).join('|')); } catch (e) { return e.name; } };
const extra = [];
for (const era of ['narrow', 'short', 'long']) {
  for (const date of [{ year: 'numeric' }, { year: 'numeric', month: 'long' }, { year: 'numeric', month: 'short', day: 'numeric' }, { year: '2-digit', month: 'numeric', day: 'numeric' }, { month: 'long', day: 'numeric' }, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }, {}]) extra.push({ era, ...date });
}
for (const dayPeriod of ['narrow', 'short', 'long']) {
  for (const time of [{}, { hour: 'numeric' }, { hour: 'numeric', minute: '2-digit' }, { hour: '2-digit', minute: '2-digit', second: '2-digit' }, { hour: 'numeric', hour12: false }, { weekday: 'short', hour: 'numeric' }]) extra.push({ dayPeriod, ...time });
}
for (const weekday of ['narrow']) for (const date of [{}, { day: 'numeric' }, { month: 'short', day: 'numeric' }, { year: 'numeric', month: 'long', day: 'numeric' }]) extra.push({ weekday, ...date });
for (const date of [{}, { day: 'numeric' }, { year: 'numeric' }, { year: 'numeric', day: 'numeric' }]) extra.push({ month: 'narrow', ...date });
for (const hourCycle of ['h11', 'h12', 'h23', 'h24']) {
  for (const time of [{ hour: 'numeric' }, { hour: '2-digit', minute: '2-digit' }, { hour: 'numeric', minute: 'numeric', second: 'numeric' }, { timeStyle: 'short' }, { dateStyle: 'medium', timeStyle: 'medium' }, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }]) extra.push({ hourCycle, ...time });
}
for (const hour12 of [true, false]) for (const s of [{ timeStyle: 'full' }, { timeStyle: 'long' }, { dateStyle: 'full', timeStyle: 'short' }, { dateStyle: 'short', timeStyle: 'long' }]) extra.push({ hour12, ...s });
for (const fractionalSecondDigits of [1, 2, 3]) {
  for (const time of [{}, { second: 'numeric' }, { minute: '2-digit', second: '2-digit' }, { hour: 'numeric', minute: '2-digit', second: '2-digit' }, { hour: 'numeric', minute: 'numeric' }, { minute: 'numeric' }]) extra.push({ fractionalSecondDigits, ...time });
}
for (const s of ['full', 'long', 'medium', 'short']) for (const t of ['full', 'long']) extra.push({ dateStyle: s, timeStyle: t });
for (const l of locales) {
  for (const o of extra) {
    cases[l + ' more ' + JSON.stringify(o)] = parts(l, { timeZone: 'UTC', ...o }, instants);
  }
}
// Every timeZoneName form in zones with and without daylight time, names
// of their own (London, Dublin), and offsets of half and quarter hours,
// in winter and summer.
const zones = ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Europe/London', 'Europe/Dublin', 'Asia/Kolkata', 'Asia/Tokyo', 'Asia/Kathmandu', 'Australia/Sydney', 'America/Sao_Paulo', 'Pacific/Honolulu', 'America/Phoenix', 'Africa/Cairo', 'Europe/Moscow', 'Asia/Shanghai'];
const seasons = [Date.UTC(2024, 0, 15, 14, 5, 9), Date.UTC(2024, 6, 15, 14, 5, 9)];
for (const l of locales) {
  for (const timeZone of zones) {
    for (const timeZoneName of ['short', 'long', 'shortOffset', 'longOffset', 'shortGeneric', 'longGeneric']) {
      cases[l + ' tz ' + timeZone + ' ' + timeZoneName] = parts(l, { timeZone, timeZoneName, hour: 'numeric', minute: '2-digit' }, seasons);
    }
    cases[l + ' tz ' + timeZone + ' full'] = parts(l, { timeZone, dateStyle: 'medium', timeStyle: 'full' }, seasons);
  }
}
// Zones at the edges of ICU's naming rules (no daylight time in a
// metazone that has it, a metazone changed over the years, aliases, zones
// in no country), at dates from 1975 on.
const edgeZones = ['America/Regina', 'America/Indiana/Knox', 'Europe/Kyiv', 'Europe/Kiev', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'Africa/Casablanca', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/Havana', 'Atlantic/Reykjavik', 'Africa/Abidjan', 'Antarctica/Troll', 'Etc/GMT+5', 'America/Santiago', 'Asia/Hebron', 'America/Whitehorse', 'Europe/Lisbon', 'Atlantic/Azores', 'America/Nuuk'];
const years = [Date.UTC(1975, 3, 1, 12), Date.UTC(1995, 8, 1, 12), Date.UTC(2010, 0, 20, 12), Date.UTC(2024, 6, 20, 12)];
for (const l of ['en-US', 'en-GB', 'de', 'fr', 'ja', 'ru']) {
  for (const timeZone of edgeZones) {
    for (const timeZoneName of ['short', 'long', 'shortOffset', 'longOffset', 'shortGeneric', 'longGeneric']) {
      cases[l + ' edge ' + timeZone + ' ' + timeZoneName] = parts(l, { timeZone, timeZoneName, hour: 'numeric', minute: '2-digit' }, years);
    }
  }
}
// An hour with a zone and no minute (CLDR 48's new Hv and hv skeletons),
// in every locale.
for (const l of locales) {
  for (const hour12 of [true, false]) {
    cases[l + ' hour zone ' + hour12] = parts(l, { timeZone: 'Europe/Lisbon', timeZoneName: 'short', hour: 'numeric', hour12 }, seasons);
  }
}
// Odd instants: years before 1 and below 1000 (era, padding), just
// before 1970 (fractional seconds of a negative time), the last instant.
const year = (y, m, d, h) => { const x = new Date(Date.UTC(2000, m, d, h, 30, 15, 250)); x.setUTCFullYear(y); return x.getTime(); };
const odd = [year(-50, 2, 15, 9), year(0, 11, 31, 23), year(5, 0, 1, 0), year(999, 6, 4, 12), -1, 8.64e15];
for (const l of locales) {
  for (const o of [{ era: 'short', year: 'numeric', month: 'short', day: 'numeric' }, { year: 'numeric', month: '2-digit', day: '2-digit' }, { year: '2-digit', month: 'long' }, { dateStyle: 'full', timeStyle: 'long' }, { hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }, { era: 'long', year: 'numeric' }]) {
    cases[l + ' odd ' + JSON.stringify(o)] = parts(l, { timeZone: 'UTC', ...o }, odd);
  }
}
// The regional variants with data of their own: the styles, the common
// component options and the zones, in two seasons.
const regional = ['de-AT', 'de-CH', 'en-AU', 'en-CA', 'en-IE', 'en-IN', 'en-NZ', 'en-ZA', 'es-419', 'es-MX', 'fr-CA', 'fr-CH'];
const common = [{}, { dateStyle: 'full', timeStyle: 'full' }, { dateStyle: 'long', timeStyle: 'long' }, { dateStyle: 'medium', timeStyle: 'medium' }, { dateStyle: 'short', timeStyle: 'short' },
  { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }, { year: 'numeric', month: 'short', day: 'numeric' }, { month: '2-digit', day: '2-digit' }, { year: 'numeric', month: 'long' },
  { hour: 'numeric', minute: '2-digit' }, { hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: false }, { hour: '2-digit', hour12: true }, { dayPeriod: 'long', hour: 'numeric' },
  { era: 'short', year: 'numeric' }, { weekday: 'short', hour: 'numeric', minute: 'numeric', fractionalSecondDigits: 2 }];
for (const l of regional) {
  for (const o of common) cases[l + ' regional ' + JSON.stringify(o)] = [new Intl.DateTimeFormat(l).resolvedOptions().locale, ...parts(l, { timeZone: 'UTC', ...o }, instants)];
  for (const timeZone of zones) {
    for (const timeZoneName of ['short', 'long', 'shortGeneric', 'longGeneric']) cases[l + ' regional tz ' + timeZone + ' ' + timeZoneName] = parts(l, { timeZone, timeZoneName, hour: 'numeric', minute: '2-digit' }, seasons);
  }
}
// resolvedOptions: what the pattern shows (V8 reads the options back
// from it: minute '2-digit' for numeric, the hour cycle...).
for (const l of locales.concat(regional)) {
  for (const o of common.concat(extra.slice(0, 40), [{ timeZoneName: 'longGeneric', hour: 'numeric' }, { minute: 'numeric', second: 'numeric' }, { weekday: 'narrow', era: 'narrow', month: 'narrow' }])) {
    cases[l + ' resolved ' + JSON.stringify(o)] = (() => { try { return JSON.stringify(new Intl.DateTimeFormat(l, { timeZone: 'UTC', ...o }).resolvedOptions()); } catch (e) { return e.name; } })();
  }
}
module.exports = cases;
