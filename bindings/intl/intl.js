// Intl for goja (intl.go does the formatting: golang.org/x/text's CLDR
// data for numbers, CLDR's date tables of cldr_data.go for dates):
// NumberFormat, DateTimeFormat, Collator, PluralRules,
// getCanonicalLocales and supportedLocalesOf. An option host does not
// cover is a RangeError naming it, never a quietly different result.
// Evaluates to function(native) returning the Intl object.
(function (native) {
  'use strict';
  const unsupported = (ctor, name, value) => {
    throw new RangeError('Intl.' + ctor + ': the option ' + name + ': ' + JSON.stringify(value) + ' is not supported by host');
  };
  const canonical = (locales) => {
    if (locales === undefined) return [];
    const list = typeof locales === 'string' || Object(locales) !== locales ? [locales] : Array.from(locales);
    const out = [];
    for (const l of list) {
      if (typeof l !== 'string' && Object(l) !== l) throw new TypeError('Intl: a locale must be a string, got ' + typeof l);
      const c = native.canonicalLocale(String(l));
      if (!out.includes(c)) out.push(c);
    }
    return out;
  };
  const resolveLocale = (locales) => canonical(locales)[0] || 'en-US';
  const options = (o) => (o === undefined ? Object.create(null) : Object(o));
  const getOption = (o, name, allowed, fallback) => {
    let v = o[name];
    if (v === undefined) return fallback;
    v = typeof fallback === 'boolean' ? Boolean(v) : String(v);
    if (allowed && !allowed.includes(v)) throw new RangeError('Value ' + v + ' out of range for Intl options property ' + name);
    return v;
  };
  const getNumber = (o, name, min, max, fallback) => {
    let v = o[name];
    if (v === undefined) return fallback;
    v = Number(v);
    if (Number.isNaN(v) || v < min || v > max) throw new RangeError(name + ' value is out of range.');
    return Math.floor(v);
  };
  const only = (ctor, o, name, allowed) => {
    const v = o[name];
    if (v !== undefined && !allowed.includes(String(v))) unsupported(ctor, name, v);
  };
  const staticLocales = (C) => {
    Object.defineProperty(C, 'supportedLocalesOf', { value: function supportedLocalesOf(locales) { return canonical(locales); }, writable: true, configurable: true });
  };
  const slot = new WeakMap();
  const internal = (self, ctor) => {
    const s = slot.get(self);
    if (!s || s.ctor !== ctor) throw new TypeError('Method Intl.' + ctor + ' called on incompatible receiver');
    return s;
  };

  class NumberFormat {
    constructor(locales, opts) {
      const o = options(opts);
      const locale = resolveLocale(locales);
      only('NumberFormat', o, 'notation', ['standard']);
      only('NumberFormat', o, 'signDisplay', ['auto']);
      only('NumberFormat', o, 'currencySign', ['standard']);
      only('NumberFormat', o, 'roundingMode', ['halfExpand']);
      only('NumberFormat', o, 'roundingPriority', ['auto']);
      only('NumberFormat', o, 'trailingZeroDisplay', ['auto']);
      only('NumberFormat', o, 'numberingSystem', ['latn']);
      if (o.roundingIncrement !== undefined && Number(o.roundingIncrement) !== 1) unsupported('NumberFormat', 'roundingIncrement', o.roundingIncrement);
      const style = getOption(o, 'style', ['decimal', 'percent', 'currency', 'unit'], 'decimal');
      if (style === 'unit') unsupported('NumberFormat', 'style', style);
      let currency = o.currency === undefined ? undefined : String(o.currency);
      if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) throw new RangeError('Invalid currency code : ' + currency);
      if (style === 'currency' && currency === undefined) throw new TypeError('Currency code is required with currency style.');
      if (currency) currency = currency.toUpperCase();
      const currencyDisplay = getOption(o, 'currencyDisplay', ['code', 'symbol', 'narrowSymbol', 'name'], 'symbol');
      if (currencyDisplay === 'name') unsupported('NumberFormat', 'currencyDisplay', currencyDisplay);
      const cd = style === 'currency' ? native.currencyDigits(currency) : 0;
      const minInt = getNumber(o, 'minimumIntegerDigits', 1, 21, 1);
      const defMin = style === 'currency' ? cd : 0;
      const defMax = style === 'currency' ? Math.max(cd, defMin) : style === 'percent' ? 0 : 3;
      const r = { locale, numberingSystem: 'latn', style, minimumIntegerDigits: minInt, useGrouping: o.useGrouping === undefined ? 'auto' : o.useGrouping === false || o.useGrouping === 'false' ? false : 'auto' };
      if (style === 'currency') Object.assign(r, { currency, currencyDisplay, currencySign: 'standard' });
      if (o.minimumSignificantDigits !== undefined || o.maximumSignificantDigits !== undefined) {
        const minSD = getNumber(o, 'minimumSignificantDigits', 1, 21, 1);
        const maxSD = getNumber(o, 'maximumSignificantDigits', minSD, 21, 21);
        Object.assign(r, { minimumSignificantDigits: minSD, maximumSignificantDigits: maxSD });
      } else {
        let minFD = getNumber(o, 'minimumFractionDigits', 0, 100, undefined);
        let maxFD = getNumber(o, 'maximumFractionDigits', 0, 100, undefined);
        if (minFD === undefined) minFD = Math.min(defMin, maxFD === undefined ? defMin : maxFD);
        if (maxFD === undefined) maxFD = Math.max(defMax, minFD);
        else if (minFD > maxFD) throw new RangeError('maximumFractionDigits value is out of range.');
        Object.assign(r, { minimumFractionDigits: minFD, maximumFractionDigits: maxFD });
      }
      Object.assign(r, { notation: 'standard', signDisplay: 'auto', roundingMode: 'halfExpand', roundingPriority: 'auto', roundingIncrement: 1, trailingZeroDisplay: 'auto' });
      slot.set(this, { ctor: 'NumberFormat', r });
    }
    get format() {
      const s = internal(this, 'NumberFormat');
      if (!s.bound) {
        const r = s.r;
        const go = { style: r.style, currency: r.currency || '', currencyDisplay: r.currencyDisplay || '', minimumIntegerDigits: r.minimumIntegerDigits,
          minimumFractionDigits: r.minimumFractionDigits || 0, maximumFractionDigits: r.maximumFractionDigits || 0,
          minimumSignificantDigits: r.minimumSignificantDigits || 0, maximumSignificantDigits: r.maximumSignificantDigits || 0, useGrouping: r.useGrouping !== false };
        s.bound = (x) => native.formatNumber(r.locale, typeof x === 'bigint' ? Number(x) : Number(x), go);
      }
      return s.bound;
    }
    resolvedOptions() { return { ...internal(this, 'NumberFormat').r }; }
  }
  Object.defineProperty(NumberFormat.prototype, Symbol.toStringTag, { value: 'Intl.NumberFormat', configurable: true });
  staticLocales(NumberFormat);

  const dateFields = ['weekday', 'era', 'year', 'month', 'day', 'dayPeriod', 'hour', 'minute', 'second'];
  const fieldValues = {
    weekday: ['narrow', 'short', 'long'], era: ['narrow', 'short', 'long'], year: ['2-digit', 'numeric'], month: ['2-digit', 'numeric', 'narrow', 'short', 'long'],
    day: ['2-digit', 'numeric'], dayPeriod: ['narrow', 'short', 'long'], hour: ['2-digit', 'numeric'], minute: ['2-digit', 'numeric'], second: ['2-digit', 'numeric'],
  };
  const zoneNames = ['short', 'long', 'shortOffset', 'longOffset', 'shortGeneric', 'longGeneric'];
  const styles = ['full', 'long', 'medium', 'short'];
  class DateTimeFormat {
    constructor(locales, opts, required = 'any', defaults = 'date') {
      const o = options(opts);
      const requested = resolveLocale(locales);
      only('DateTimeFormat', o, 'calendar', ['gregory', 'iso8601']);
      only('DateTimeFormat', o, 'numberingSystem', ['latn']);
      let hour12 = o.hour12 === undefined ? undefined : Boolean(o.hour12);
      const hourCycle = getOption(o, 'hourCycle', ['h11', 'h12', 'h23', 'h24'], undefined);
      const timeZone = o.timeZone === undefined ? native.localTimeZone() : native.timeZone(String(o.timeZone));
      const go = {};
      if (hour12 !== undefined) go.hour12 = hour12;
      else if (hourCycle !== undefined) go.hourCycle = hourCycle;
      let any = false;
      for (const f of dateFields) {
        const v = getOption(o, f, fieldValues[f], undefined);
        if (v !== undefined) { go[f] = v; any = true; }
      }
      const fsd = getNumber(o, 'fractionalSecondDigits', 1, 3, undefined);
      if (fsd !== undefined) { go.fractionalSecondDigits = fsd; any = true; }
      const tzn = getOption(o, 'timeZoneName', zoneNames, undefined);
      if (tzn !== undefined) { go.timeZoneName = tzn; any = true; }
      getOption(o, 'formatMatcher', ['basic', 'best fit'], undefined);
      const dateStyle = getOption(o, 'dateStyle', styles, undefined);
      const timeStyle = getOption(o, 'timeStyle', styles, undefined);
      if ((dateStyle || timeStyle) && any) throw new TypeError("Can't set option " + dateFields.concat('fractionalSecondDigits', 'timeZoneName').find((f) => go[f] !== undefined) + ' when ' + (dateStyle ? 'dateStyle' : 'timeStyle') + ' is used');
      if (dateStyle) go.dateStyle = dateStyle;
      if (timeStyle) go.timeStyle = timeStyle;
      if (!dateStyle && !timeStyle) {
        const hasDate = go.weekday || go.year || go.month || go.day;
        const hasTime = go.dayPeriod || go.hour || go.minute || go.second || go.fractionalSecondDigits;
        const need = required === 'date' ? !hasDate : required === 'time' ? !hasTime : !hasDate && !hasTime;
        if (need) {
          if (defaults === 'date' || defaults === 'all') Object.assign(go, { year: 'numeric', month: 'numeric', day: 'numeric' });
          if (defaults === 'time' || defaults === 'all') Object.assign(go, { hour: 'numeric', minute: 'numeric', second: 'numeric' });
        }
      }
      const locale = native.dateLocale(requested);
      const p = native.datePattern(locale, go);
      const r = { locale, calendar: 'gregory', numberingSystem: 'latn', timeZone };
      if (p.hourCycle) { r.hourCycle = p.hourCycle; r.hour12 = p.hourCycle === 'h11' || p.hourCycle === 'h12'; }
      for (const f of dateFields.concat('fractionalSecondDigits', 'timeZoneName')) if (p.fields[f] !== undefined) r[f] = p.fields[f];
      if (dateStyle) r.dateStyle = dateStyle;
      if (timeStyle) r.timeStyle = timeStyle;
      slot.set(this, { ctor: 'DateTimeFormat', r, pattern: p.pattern });
    }
    formatToParts(date) {
      const s = internal(this, 'DateTimeFormat');
      const ms = date === undefined ? Date.now() : Number(date instanceof Date ? date.getTime() : date);
      if (!Number.isFinite(ms)) throw new RangeError('Invalid time value');
      return native.formatDate(s.r.locale, ms, s.r.timeZone, s.pattern);
    }
    get format() {
      const s = internal(this, 'DateTimeFormat');
      if (!s.bound) s.bound = (date) => this.formatToParts(date).map((p) => (p.value.replace(/\u202f/g, ' '))).join('');
      return s.bound;
    }
    formatRange(a, b) { return this.format(a) + ' – ' + this.format(b); }
    resolvedOptions() { return { ...internal(this, 'DateTimeFormat').r }; }
  }
  Object.defineProperty(DateTimeFormat.prototype, Symbol.toStringTag, { value: 'Intl.DateTimeFormat', configurable: true });
  Object.defineProperty(DateTimeFormat, 'supportedLocalesOf', { value: function supportedLocalesOf(locales) { return canonical(locales).filter((l) => native.dateSupported(l)); }, writable: true, configurable: true });

  class Collator {
    constructor(locales, opts) {
      const o = options(opts);
      const locale = resolveLocale(locales);
      if (o.ignorePunctuation) unsupported('Collator', 'ignorePunctuation', o.ignorePunctuation);
      only('Collator', o, 'collation', ['default']);
      only('Collator', o, 'caseFirst', ['false']);
      const r = {
        locale, usage: getOption(o, 'usage', ['sort', 'search'], 'sort'),
        sensitivity: getOption(o, 'sensitivity', ['base', 'accent', 'case', 'variant'], 'variant'),
        ignorePunctuation: false, collation: 'default', numeric: getOption(o, 'numeric', null, false),
        caseFirst: 'false',
      };
      slot.set(this, { ctor: 'Collator', r });
    }
    get compare() {
      const s = internal(this, 'Collator');
      if (!s.bound) {
        const cmp = native.collator(s.r.locale, s.r);
        s.bound = (a, b) => cmp(String(a), String(b));
      }
      return s.bound;
    }
    resolvedOptions() { return { ...internal(this, 'Collator').r }; }
  }
  Object.defineProperty(Collator.prototype, Symbol.toStringTag, { value: 'Intl.Collator', configurable: true });
  staticLocales(Collator);

  class PluralRules {
    constructor(locales, opts) {
      const o = options(opts);
      const locale = resolveLocale(locales);
      const type = getOption(o, 'type', ['cardinal', 'ordinal'], 'cardinal');
      const nf = new NumberFormat('en-US', { minimumIntegerDigits: o.minimumIntegerDigits, minimumFractionDigits: o.minimumFractionDigits,
        maximumFractionDigits: o.maximumFractionDigits, minimumSignificantDigits: o.minimumSignificantDigits, maximumSignificantDigits: o.maximumSignificantDigits, useGrouping: false });
      const nr = nf.resolvedOptions();
      const r = { locale, type, minimumIntegerDigits: nr.minimumIntegerDigits };
      for (const k of ['minimumFractionDigits', 'maximumFractionDigits', 'minimumSignificantDigits', 'maximumSignificantDigits']) if (nr[k] !== undefined) r[k] = nr[k];
      r.pluralCategories = native.pluralCategories(locale, type);
      slot.set(this, { ctor: 'PluralRules', r, nf });
    }
    select(n) {
      const s = internal(this, 'PluralRules');
      n = Number(n);
      if (!Number.isFinite(n)) return 'other';
      return native.plural(s.r.locale, s.r.type, s.nf.format(Math.abs(n)));
    }
    resolvedOptions() { const r = internal(this, 'PluralRules').r; return { ...r, pluralCategories: r.pluralCategories.slice() }; }
  }
  Object.defineProperty(PluralRules.prototype, Symbol.toStringTag, { value: 'Intl.PluralRules', configurable: true });
  staticLocales(PluralRules);

  const Intl = {};
  for (const [k, v] of Object.entries({ NumberFormat, DateTimeFormat, Collator, PluralRules })) {
    Object.defineProperty(Intl, k, { value: v, writable: true, configurable: true });
  }
  Object.defineProperty(Intl, 'getCanonicalLocales', { value: function getCanonicalLocales(l) { return canonical(l); }, writable: true, configurable: true });
  Object.defineProperty(Intl, Symbol.toStringTag, { value: 'Intl', configurable: true });
  return Intl;
})
